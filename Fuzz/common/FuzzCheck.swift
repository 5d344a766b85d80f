// Shared by the Swift fuzz targets (compiled into each one by scripts/fuzz).

/// Stops the fuzzer with `message` when `condition` fails. Unlike `precondition`, the
/// message survives -O builds, so the crash report says which property broke.
func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

/// What the CLI prints for a failure must be one line: "file: what went wrong".
func fuzzCheckErrorLine(_ error: Error, names file: String) {
    let message = "\(error)"
    fuzzCheck(!message.contains("\n"), "error message spans lines: \(message)")
    fuzzCheck(message.contains(file), "error message does not name \(file): \(message)")
}
