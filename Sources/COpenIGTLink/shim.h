#ifndef FREEHAND_COPENIGTLINK_SHIM_H
#define FREEHAND_COPENIGTLINK_SHIM_H
#include <openigtlink/igtl_types.h>
#include <openigtlink/igtl_header.h>
#include <openigtlink/igtl_util.h>
#include <openigtlink/igtl_image.h>
#include <openigtlink/igtl_transform.h>
#include <openigtlink/igtl_position.h>
#include <openigtlink/igtl_tdata.h>
#include <openigtlink/igtl_string.h>
#endif
