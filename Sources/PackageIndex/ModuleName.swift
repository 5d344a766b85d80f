import MPYFormat

/// Module names become import names and file names: Python identifiers only.
enum ModuleName {
    static func isValid(_ name: String) -> Bool { PythonIdentifier.isModuleName(name) }
}
