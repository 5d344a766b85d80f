import Foundation

/// A MicroPython checkout seen through symlinks, with py/dynruntime.mk replaced by ours.
/// A Makefile evaluated with MPY_DIR pointing here still reaches $(MPY_DIR)/lib/...,
/// $(MPY_DIR)/extmod/... and $(realpath ...) of them in the real checkout, while its
/// `include $(MPY_DIR)/py/dynruntime.mk` reads mpyforge's. Nothing in the checkout changes.
enum MicroPythonView {
    static func make(checkout: String, dynruntime: String, in scratch: String) throws -> String {
        let view = "\(scratch)/micropython-\(directoryKey(checkout + "\n" + dynruntime))"
        let manager = FileManager.default
        if manager.fileExists(atPath: "\(view)/py/dynruntime.mk") { return view }
        // Built under a temporary name and renamed, so parallel builds never see half a view.
        let building = "\(view).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try manager.createDirectory(atPath: "\(building)/py", withIntermediateDirectories: true)
            for entry in try manager.contentsOfDirectory(atPath: checkout) where entry != "py" {
                try manager.createSymbolicLink(atPath: "\(building)/\(entry)", withDestinationPath: "\(checkout)/\(entry)")
            }
            for entry in try manager.contentsOfDirectory(atPath: "\(checkout)/py") where entry != "dynruntime.mk" {
                try manager.createSymbolicLink(atPath: "\(building)/py/\(entry)", withDestinationPath: "\(checkout)/py/\(entry)")
            }
            try manager.createSymbolicLink(atPath: "\(building)/py/dynruntime.mk", withDestinationPath: dynruntime)
        } catch {
            try? manager.removeItem(atPath: building)
            throw MakefileError.view(checkout: checkout, view: view, detail: error.localizedDescription)
        }
        if rename(building, view) != 0 {
            // Another build made it first.
            try? manager.removeItem(atPath: building)
        }
        return view
    }

    /// A short, stable name for one (checkout, dynruntime.mk) pair: FNV-1a, 64 bits. Only a
    /// cache key inside the work directory (a collision shares a view of another checkout's
    /// path, which `make` then reads as given), so it need not be cryptographic, and it keeps
    /// the Makefile front end free of swift-crypto for the fuzzer's plain swiftc build.
    static func directoryKey(_ text: String) -> String {
        let hash = text.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
