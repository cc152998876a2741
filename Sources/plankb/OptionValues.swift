import ArgumentParser
import PlanIndex
import PlanKit

// The enumerated values of every option, each taken from the one enum that defines the concept (node kinds and
// record types in PlanKit, count dimensions and Han indexing in PlanIndex, outputs in ConvertRun), so that
// help, validation (exit status 2 with the valid values) and shell completion come from one list.

extension NodeKind: ExpressibleByArgument {}
extension Record.RecordType: ExpressibleByArgument {}
extension CountDimension: ExpressibleByArgument {}
extension IdeographIndexing: ExpressibleByArgument {}

extension ConvertFormat: ExpressibleByArgument {
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

    static var allValueStrings: [String] { Element.allCases.map(\.rawValue) }

    var defaultValueDescription: String { elements.map(\.rawValue).joined(separator: ",") }

    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
