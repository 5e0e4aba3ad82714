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

/* Debian's libopenigtlink-dev ships no igtl_status.h although libOpenIGTLink exports the two
   STATUS functions. The layout below is the 30-byte packed STATUS header of the OpenIGTLink
   specification (code, subcode, error name); the status message text follows it on the wire. */
#define FREEHAND_IGTL_STATUS_HEADER_SIZE 30
#define FREEHAND_IGTL_STATUS_ERROR_NAME_LENGTH 20
#pragma pack(1)
typedef struct {
  igtl_uint16 code;
  igtl_int64  subcode;
  char        error_name[FREEHAND_IGTL_STATUS_ERROR_NAME_LENGTH];
} igtl_status_header;
#pragma pack()
void igtl_status_convert_byte_order(igtl_status_header* status);

#endif
