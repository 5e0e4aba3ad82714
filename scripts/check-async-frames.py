#!/usr/bin/env python3
"""Finds async functions whose frame is used past its allocated size (x86-64 ELF builds).

Swift 6.3.1 sometimes gives an async function a context (its async frame) smaller than the
frame its code uses: the size the caller allocates, read from the function's async function
pointer (symbol suffix `Tu`: a 32-bit relative address, then the 32-bit context size), ends
before the last frame fields, the slots that keep an awaited callee's context and the error it
threw. Writing them corrupts the next heap block: glibc aborts at random later ("double free or
corruption (!prev)", "malloc(): invalid size"); AddressSanitizer reports a heap-buffer-overflow
"0 bytes after" a region allocated by swift::StackAllocator. Found in two test helpers that
built LiveReceiver.Options inline and awaited LiveReceiver.run(): LivePlusStandInTests.receive
(debug build: 8-byte slots at 0x13d0 and 0x13d8 of a 0x13d0-byte context) and
LiveEmptyVolumeTests.listen (a 1-byte field at 0x1710 of a 0x1710-byte context).

The entry and partial functions (suffixes TY<n>_, TQ<n>_) address frame fields as a register
plus a constant. This disassembles them (llvm-objdump) and flags, in the entry and TY partials
(where r14, the swiftasync register, holds the function's own context) and in TQ partials (which
load it with `movq (%r14), %reg`), every access `N(%reg)`
of width w with N < size + 64 and N + w > size, and anywhere every `add $N, %reg` with
size <= N < size + 16 and N >= 256 (the ASan build's way to address a field; smaller constants
are too common in other pointer arithmetic): a field that ends past the context.

Usage: check-async-frames.py [--modules A,B,...] BINARY...   (only functions of those Swift
modules when given; exit 1 when any is flagged).
"""
import re
import struct
import subprocess
import sys

PARTIAL = re.compile(r'(.*)T([YQ])[0-9]*_$')
SYMBOL = re.compile(r'^(?:[0-9a-f]+ )?<(.*)>:$')
MEMORY = re.compile(r'(-?[0-9]+)\(%(r[a-z0-9]+)\)')
OWN_CONTEXT = re.compile(r'^movq\s+\(%r14\), %(r[a-z0-9]+)$')
ADD = re.compile(r'^\s*addq\s+\$([0-9]+), %(r[a-z0-9]+)$')
WIDTHS = {'b': 1, 'w': 2, 'l': 4, 'q': 8}


def module_of(symbol):
    match = re.match(r'\$s([0-9]+)', symbol)
    return symbol[match.end():match.end() + int(match.group(1))] if match else None


def width(mnemonic, operands):
    if 'ymm' in operands:
        return 32
    if 'xmm' in operands:
        return 8 if mnemonic.endswith('sd') or mnemonic == 'movq' else 4 if mnemonic.endswith('ss') else 16
    if mnemonic.startswith(('lea', 'call', 'jmp', 'nop')):
        return 1
    return WIDTHS.get(mnemonic[-1], 1)


def contexts(path, modules):
    """Entry and partial function names -> (async function, context size)."""
    data = open(path, 'rb').read()
    if data[:4] != b'\x7fELF' or data[4] != 2:
        sys.exit(f'{path}: not a 64-bit ELF file')
    phoff, = struct.unpack_from('<Q', data, 0x20)
    phentsize, phnum = struct.unpack_from('<HH', data, 0x36)
    loads = []
    for i in range(phnum):
        ptype, _, offset, vaddr, _, filesz, _, _ = struct.unpack_from('<IIQQQQQQ', data, phoff + i * phentsize)
        if ptype == 1:
            loads.append((vaddr, offset, filesz))

    def file_offset(address):
        for vaddr, offset, size in loads:
            if vaddr <= address < vaddr + size:
                return offset + address - vaddr
        return None

    pointers, functions, partials = [], {}, {}
    listing = subprocess.run(['llvm-nm', '--defined-only', path], capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        fields = line.split(None, 2)
        if len(fields) != 3:
            continue
        try:
            address = int(fields[0], 16)
        except ValueError:
            continue
        name = fields[2]
        if modules and module_of(name) not in modules:
            continue
        if name.endswith('Tu'):
            pointers.append(address)
        elif fields[1] in 'tT':
            functions[address] = name
            match = PARTIAL.match(name)
            if match:
                partials.setdefault(match.group(1), []).append((name, match.group(2)))
    owner = {}
    for address in pointers:
        at = file_offset(address)
        if at is None:
            continue
        relative, context = struct.unpack_from('<iI', data, at)
        function = functions.get(address + relative)
        if function is None or function.endswith('TA'):  # partial-apply forwarders set up callee contexts in r14
            continue
        owner[function] = (function, context, True)
        for name, kind in partials.get(function, []):
            owner[name] = (function, context, kind == 'Y')
    return owner


def check(path, modules):
    owner = contexts(path, modules)
    flagged = {}
    current = None
    disassembly = subprocess.Popen(['llvm-objdump', '-d', '--no-show-raw-insn', '--no-leading-addr', path],
                                   stdout=subprocess.PIPE, text=True, errors='replace')
    for line in disassembly.stdout:
        if not line.startswith((' ', '\t')):
            match = SYMBOL.match(line.strip())
            current = owner.get(match.group(1)) if match else None
            bases = {'r14'} if current and current[2] else set()
            continue
        if current is None:
            continue
        function, context, own = current
        instruction = line.split('#')[0].strip()
        loaded = OWN_CONTEXT.match(instruction)
        if loaded and not own:
            bases.add(loaded.group(1))  # a TQ partial loads its own context from the callee's
            continue
        add = ADD.match(instruction)
        if add:
            accesses = [(int(add.group(1)), 1, add.group(2))]
        else:
            parts = instruction.split(None, 1)
            if len(parts) < 2:
                continue
            size = width(parts[0], parts[1])
            accesses = [(int(m.group(1)), size, m.group(2)) for m in MEMORY.finditer(parts[1])]
        for offset, size, base in accesses:
            if add:
                if base in ('rsp', 'rbp') or offset < 256 or not context <= offset < context + 16:
                    continue
            elif base not in bases or not (0 <= offset < context + 64 and offset + size > context):
                continue
            flagged.setdefault(function, (context, set()))[1].add(f'{offset:#x}+{size}')
    disassembly.wait()
    checked = len({entry[0] for entry in owner.values()})
    return checked, [f'{function}: context {context:#x} bytes, accessed at {", ".join(sorted(fields))}'
                     for function, (context, fields) in sorted(flagged.items())]


def main():
    arguments, modules = sys.argv[1:], None
    if arguments[:1] == ['--modules']:
        modules, arguments = set(arguments[1].split(',')), arguments[2:]
    status = 0
    for path in arguments:
        checked, flagged = check(path, modules)
        for line in flagged:
            print(line)
        print(f'{path}: {checked} async functions, {len(flagged)} with a frame field past the context', file=sys.stderr)
        if flagged:
            status = 1
    sys.exit(status)


if __name__ == '__main__':
    main()
