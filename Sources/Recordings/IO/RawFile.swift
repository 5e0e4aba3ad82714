#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FileSafety

/// A thin owner of a POSIX file descriptor with positioned reads and writes into Swift arrays.
///
/// All pointer work stays inside this type; callers see `[UInt8]` and byte counts only.
final class RawFile {
    /// The path, for error messages.
    let path: String
    private var fd: Int32

    /// How to open a file.
    enum Mode { case read, create, update }

    /// Opens `path`. Reading refuses anything but a regular file at once (a folder, device, or
    /// FIFO, which would otherwise block the open): see `InputFile.openRegular`.
    init(path: String, mode: Mode, role: String = "input file") throws(RecordingError) {
        self.path = path
        let flags: Int32
        switch mode {
        case .read:
            do throws(FileSafetyError) {
                fd = try InputFile.openRegular(path, role: role)
            } catch {
                throw .io(file: path, message: error.reason)
            }
            return
        case .create: flags = O_RDWR | O_CREAT | O_TRUNC
        case .update: flags = O_RDWR
        }
        let fd = open(path, flags | O_CLOEXEC, 0o644)
        if fd < 0 { throw .io(file: path, message: "cannot open: \(RawFile.errorText())") }
        self.fd = fd
    }

    /// Creates a fresh temporary file beside `destination` (see `AtomicOutput`); `commit(to:)`
    /// renames it into place, and a failed write removes it with `discard()`.
    static func temporary(for destination: String) throws(RecordingError) -> RawFile {
        do throws(FileSafetyError) {
            let (path, fd) = try AtomicOutput.createTemporary(for: destination)
            return RawFile(path: path, descriptor: fd)
        } catch {
            throw .io(file: destination, message: error.description)
        }
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        fd = descriptor
    }

    /// Closes this (temporary) file and renames it over `destination`.
    func commit(to destination: String) throws(RecordingError) {
        close()
        try Self.rename(path, to: destination)
    }

    /// Renames the finished temporary file `temporary` over `destination` (see `AtomicOutput`).
    static func rename(_ temporary: String, to destination: String) throws(RecordingError) {
        do throws(FileSafetyError) { try AtomicOutput.commit(temporary, to: destination) } catch {
            throw .io(file: destination, message: error.description)
        }
    }

    /// Removes the temporary file `temporary` after a failed write.
    static func remove(_ temporary: String) {
        AtomicOutput.discard(temporary)
    }

    /// Closes and removes this (temporary) file after a failed write.
    func discard() {
        close()
        AtomicOutput.discard(path)
    }

    deinit { if fd >= 0 { _ = Glibc_close(fd) } }

    /// Closes the descriptor now (later calls fail).
    func close() {
        if fd >= 0 { _ = Glibc_close(fd); fd = -1 }
    }

    /// The current size of the file in bytes.
    func size() throws(RecordingError) -> Int {
        var st = stat()
        if fstat(fd, &st) != 0 { throw .io(file: path, message: "cannot stat: \(RawFile.errorText())") }
        return Int(st.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset` into raw memory; returns how many were read
    /// (fewer only at the end of the file).
    func readRaw(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(RecordingError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, base + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(file: path, message: "read failed: \(RawFile.errorText())")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads up to `count` bytes at `offset` into `buffer[start...]`; returns how many were read
    /// (fewer only at the end of the file).
    func read(into buffer: inout [UInt8], start: Int = 0, count: Int, at offset: Int) throws(RecordingError) -> Int {
        precondition(start >= 0 && count >= 0 && start + count <= buffer.count)
        var result: Result<Int, RecordingError> = .success(0)
        buffer.withUnsafeMutableBytes { raw in
            do throws(RecordingError) {
                result = .success(try readRaw(into: UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + count)]), at: offset))
            } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Reads exactly `count` bytes at `offset`, or throws `truncated` naming `field`.
    func readExactly(_ count: Int, at offset: Int, field: String) throws(RecordingError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let n = try read(into: &buffer, count: count, at: offset)
        if n < count { throw .truncated(file: path, field: field, expectedBytes: count, availableBytes: n) }
        return buffer
    }

    /// Writes all of `bytes[range]` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(RecordingError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, base + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(file: path, message: "write failed: \(RawFile.errorText())")
            }
            done += n
        }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int) throws(RecordingError) {
        var failure: RecordingError?
        bytes.withUnsafeBytes { raw in
            do throws(RecordingError) { try write(raw, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: Int) throws(RecordingError) {
        if ftruncate(fd, off_t(length)) != 0 { throw .io(file: path, message: "cannot truncate: \(RawFile.errorText())") }
    }

    /// Flushes the file's data to the storage device.
    func sync() throws(RecordingError) {
        if fsync(fd) != 0 { throw .io(file: path, message: "fsync failed: \(RawFile.errorText())") }
    }

    static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Nil when `path` is an existing regular file, else what is wrong ("data file x does not
    /// exist", "... is a FIFO (named pipe), not a regular file"), from `stat` alone.
    static func notRegular(_ path: String, role: String) -> String? {
        do throws(FileSafetyError) { try InputFile.checkRegular(path, role: role) } catch {
            if case .missing = error { return "\(role) \(path) does not exist" }
            return error.description
        }
        return nil
    }
}

@inline(__always) private func Glibc_close(_ fd: Int32) -> Int32 { close(fd) }
