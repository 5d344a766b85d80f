import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program in a process group of its own with one deadline for everything: its exit
/// and the end of its output. mpremote may fork helpers that inherit the output pipe; with
/// Foundation's Process, killing mpremote left such a child running and holding the pipe,
/// and reading to end-of-file then waited forever. Here the whole group is ended instead.
struct GroupedProcess {
    struct Finished {
        /// nil when the deadline passed first and the group was killed.
        var status: Int32?
        var output: [UInt8]
    }

    enum StartError: Error { case cannotStart(Int32) }

    /// How long stragglers may hold the pipe after the program itself exited.
    static let drainSeconds = 1.0
    /// Between SIGTERM and SIGKILL.
    static let graceSeconds = 1.0

    static func run(_ executable: String, _ arguments: [String], timeoutSeconds: Double) throws(StartError) -> Finished {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw .cannotStart(errno) }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        let pid: pid_t
        do throws(StartError) { pid = try spawn(executable, arguments, output: writeEnd) } catch {
            close(readEnd)
            close(writeEnd)
            throw error
        }
        close(writeEnd)
        defer { close(readEnd) }
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)

        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var output: [UInt8] = []
        var endOfOutput = false
        var exitedAt: Date?
        while !(endOfOutput && exitedAt != nil) {
            let now = Date()
            let limit = exitedAt.map { min(deadline, $0.addingTimeInterval(drainSeconds)) } ?? deadline
            if now >= limit { break }
            if !endOfOutput {
                endOfOutput = drain(readEnd, into: &output, waitingAtMost: min(limit.timeIntervalSince(now), 0.05))
            } else {
                usleep(10_000)
            }
            if exitedAt == nil, hasExited(pid) { exitedAt = Date() }
        }
        // Whatever is left of the group (the program past its deadline, or helpers it left
        // behind) is ended while the leader, unreaped, still holds the group's id.
        let status: Int32?
        if exitedAt != nil {
            kill(-pid, SIGKILL)
            status = reap(pid)
        } else {
            kill(-pid, SIGTERM)
            let patience = Date().addingTimeInterval(graceSeconds)
            while !hasExited(pid), Date() < patience { usleep(20_000) }
            kill(-pid, SIGKILL)
            _ = reap(pid)
            status = nil
        }
        return Finished(status: status, output: output)
    }

    private static func spawn(_ executable: String, _ arguments: [String], output: Int32) throws(StartError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new group (its id is the child's pid), default signal handling, nothing blocked.
        var defaults = sigset_t(), empty = sigset_t()
        sigfillset(&defaults)
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw .cannotStart(result) }
        return pid
    }

    /// Reads what is available within `seconds`; true at end of file.
    private static func drain(_ fd: Int32, into output: inout [UInt8], waitingAtMost seconds: Double) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(max(1, seconds * 1000))) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { output += buffer[..<n]; continue }
            if n == 0 { return true }
            return !(errno == EAGAIN || errno == EINTR)
        }
    }

    /// True once the program has exited; leaves it unreaped (WNOWAIT), so its pid still names the group.
    private static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_signo != 0
    }

    private static func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
