/// Where a rewritten module's qstr indices land in a merged file's qstr table.
struct QstrIndexMap: Sendable {
    /// The merged index of each of the module's own qstrs, by its index in the module.
    let mergedIndex: [Int]

    /// mpy-tool's layout: the module's table follows the `base` entries in front of it.
    static func shifted(by base: Int, count: Int) -> QstrIndexMap {
        QstrIndexMap(mergedIndex: Array(base..<base + count))
    }

    func callAsFunction(_ index: Int, at offset: Int) throws(BytecodeRewriteError) -> Int {
        guard mergedIndex.indices.contains(index) else { throw .qstrIndexOutOfRange(index: index, offset: offset) }
        return mergedIndex[index]
    }
}
