import Foundation
import MPYFormat
import Toolchain

/// The outcome of one job in a matrix build.
public struct JobReport: Sendable {
    public enum Status: Sendable { case built(BuiltModule), failed(String), skipped(String) }
    public let job: BuildJob
    public let status: Status
    public let seconds: Double
}

/// Plans the matrix (modules x arches x ABIs) and runs it in parallel.
public struct BuildDriver: Sendable {
    public var modules: [ModuleManifest]
    public var arches: [NativeArch]
    public var abis: [ABIVersion]
    /// True when the user named the arches: a missing compiler is then an error, not a skip.
    public var archesExplicit: Bool
    public var jobs: Int

    public init(modules: [ModuleManifest], arches: [NativeArch], abis: [ABIVersion], archesExplicit: Bool, jobs: Int) {
        self.modules = modules
        self.arches = arches
        self.abis = abis
        self.archesExplicit = archesExplicit
        self.jobs = jobs
    }

    /// Runs every planned job; `started` and `finished` are called from worker threads.
    /// `compilers` are the ones the caller already looked up for the plan (found once per run);
    /// an arch missing from it is looked up here.
    public func run(builder: ModuleBuilder, compilers known: [NativeArch: Result<Compiler, ToolchainError>] = [:],
                    started: @escaping @Sendable (BuildJob) -> Void = { _ in },
                    finished: @escaping @Sendable (JobReport, Int, Int) -> Void) -> [JobReport] {
        var compilers = known
        for arch in arches where compilers[arch] == nil { compilers[arch] = builder.environment.toolchains.find(arch) }
        let planned = modules.flatMap { module in
            module.outputs.flatMap { output in
                arches.flatMap { arch in abis.map { BuildJob(module: module, output: output, arch: arch, abi: $0) } }
            }
        }
        let reports = ReportCollector(count: planned.count)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = max(1, jobs)
        for (index, job) in planned.enumerated() {
            let compiler = compilers[job.arch]!
            queue.addOperation {
                started(job)
                let start = Date()
                let status: JobReport.Status
                switch compiler {
                case .failure(let error):
                    status = archesExplicit ? .failed(error.description) : .skipped(error.description)
                case .success(let compiler):
                    do { status = .built(try builder.build(job, compiler: compiler)) } catch {
                        status = .failed("\(error)")
                    }
                }
                let report = JobReport(job: job, status: status, seconds: Date().timeIntervalSince(start))
                let done = reports.store(report, at: index)
                finished(report, done, planned.count)
            }
        }
        queue.waitUntilAllOperationsAreFinished()
        return reports.all
    }
}

/// Collects reports from worker threads in plan order.
final class ReportCollector: @unchecked Sendable {
    private var slots: [JobReport?]
    private var done = 0
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ report: JobReport, at index: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = report
        done += 1
        return done
    }

    var all: [JobReport] { slots.compactMap { $0 } }
}
