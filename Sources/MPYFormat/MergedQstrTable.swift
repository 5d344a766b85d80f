/// The qstr table of a merged file, and where each input's qstrs went in it.
struct MergedQstrTable {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    /// One per input, in input order.
    private(set) var maps: [QstrIndexMap] = []

    init(_ inputs: [(bytes: [UInt8], qstrs: [MPYQstr])], layout: MPYMerger.QstrLayout) {
        // A qstr is its text at run time (the runtime interns it), so equal text is one entry
        // whether a file spells it out or refers to the static one.
        var firstIndexByText: [String: Int] = [:]
        for (position, input) in inputs.enumerated() {
            var merged: [Int] = []
            for qstr in input.qstrs {
                // The first input is copied verbatim, so its own entries all stay.
                if layout == .shared, position > 0, let existing = firstIndexByText[qstr.text] {
                    merged.append(existing)
                    continue
                }
                bytes += input.bytes[qstr.range]
                if firstIndexByText[qstr.text] == nil { firstIndexByText[qstr.text] = count }
                merged.append(count)
                count += 1
            }
            maps.append(QstrIndexMap(mergedIndex: merged))
        }
    }
}
