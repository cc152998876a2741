import ArgumentParser
import PlanIndex
import PlanKit

// The enumerated values of every option, each taken from the one enum that defines the concept (node kinds and
// record types in PlanKit, count dimensions and Han indexing in PlanIndex, outputs in ConvertRun), so that
// help, validation (exit status 2 with the valid values) and shell completion come from one list.

/// An option value that is one of an enum's cases, named by its raw value. Help, validation and completion list
/// the raw values directly: ArgumentParser's defaults reach each through a key path and its
/// `defaultValueDescription`, which cost every `plankb query` about 1.7 M instructions at start (scans of the Swift
/// runtime through the binary's conformances among them), the same values for nothing.
protocol EnumeratedOption: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension EnumeratedOption {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
    /// No value has a description of its own.
    public static var allValueDescriptions: [String: String] { [:] }
    public var defaultValueDescription: String { rawValue }
}

extension NodeKind: EnumeratedOption {}
extension Record.RecordType: EnumeratedOption {}
extension CountDimension: EnumeratedOption {}
extension IdeographIndexing: EnumeratedOption {}

extension ConvertFormat: EnumeratedOption {
    /// Also the aliases md, xml and akomantoso, in any case.
    init?(argument: String) {
        let name = argument.lowercased()
        let aliases = ["md": ConvertFormat.markdown, "xml": .akn, "akomantoso": .akn]
        guard let format = ConvertFormat(rawValue: name) ?? aliases[name] else { return nil }
        self = format
    }
}

/// An option value that is a comma-separated list of enumerated values (`--kind chapter,article`,
/// `--to json,csv`): each item must be one of `Element`'s values, and an unknown one is a usage error that
/// lists them.
struct CommaList<Element: ExpressibleByArgument & CaseIterable & RawRepresentable & Hashable>: ExpressibleByArgument
where Element.RawValue == String {
    var elements: [Element]

    init(_ elements: [Element]) { self.elements = elements }

    init?(argument: String) {
        var elements: [Element] = []
        for item in argument.split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { continue }
            guard let element = Element(argument: name) else { return nil }
            elements.append(element)
        }
        if elements.isEmpty { return nil }
        self.elements = elements
    }

    static var allValueStrings: [String] { Element.allCases.map { $0.rawValue } }

    var defaultValueDescription: String { elements.map(\.rawValue).joined(separator: ",") }

    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
