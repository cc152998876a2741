import Foundation
import MCP

/// What a tool call can go wrong with, as the model sees it: a message in the tool result (`isError`), never
/// a failure of the server. Messages are the CLI's own where the CLI has one.
public struct ToolError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// A tool call's arguments, read with the types its input schema declares.
struct ToolArguments {
    var values: [String: Value]

    init(_ values: [String: Value]?) { self.values = values ?? [:] }

    /// The arguments of a call, refused when one of them is not in the tool's input schema: the schema says
    /// `additionalProperties: false`, and a misspelt filter (`kinds` for `kind`) ignored would widen the search
    /// without a word.
    init(_ values: [String: Value]?, accepting schema: Value) throws {
        self.init(values)
        let known = schema.objectValue?["properties"]?.objectValue.map { Set($0.keys) } ?? []
        let unknown = self.values.keys.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            let names = unknown.map { "“\($0)”" }.joined(separator: ", ")
            throw ToolError("unknown argument\(unknown.count == 1 ? "" : "s") \(names); this tool takes "
                            + known.sorted().joined(separator: ", "))
        }
    }

    func string(_ name: String) throws -> String? {
        guard let value = values[name], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw ToolError("“\(name)” must be a string") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    func requiredString(_ name: String) throws -> String {
        guard let text = try string(name) else { throw ToolError("“\(name)” is required") }
        return text
    }

    func integer(_ name: String) throws -> Int? {
        guard let value = values[name], !value.isNull else { return nil }
        if let number = value.intValue { return number }
        if let number = value.doubleValue, number == number.rounded(), abs(number) < 1e15 { return Int(number) }
        if let text = value.stringValue, let number = Int(text) { return number }
        throw ToolError("“\(name)” must be an integer")
    }

    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        let number = try integer(name) ?? defaultValue
        guard range.contains(number) else {
            throw ToolError("“\(name)” must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    func boolean(_ name: String) throws -> Bool? {
        guard let value = values[name], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw ToolError("“\(name)” must be true or false") }
        return flag
    }

    /// A list of strings, given as an array or as one comma-separated string.
    func strings(_ name: String) throws -> [String] {
        guard let value = values[name], !value.isNull else { return [] }
        if let text = value.stringValue {
            return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard let array = value.arrayValue else { throw ToolError("“\(name)” must be a list of strings") }
        return try array.map { item in
            guard let text = item.stringValue else { throw ToolError("“\(name)” must be a list of strings") }
            return text
        }
    }
}

/// JSON Schema fragments for tool inputs.
enum Schema {
    static func object(_ properties: [String: Value], required: [String] = []) -> Value {
        var schema: [String: Value] = ["type": "object", "properties": .object(properties), "additionalProperties": false]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    static func string(_ description: String, enumeration: [String]? = nil) -> Value {
        var schema: [String: Value] = ["type": "string", "description": .string(description)]
        if let enumeration { schema["enum"] = .array(enumeration.map { .string($0) }) }
        return .object(schema)
    }

    static func integer(_ description: String, minimum: Int? = nil, maximum: Int? = nil) -> Value {
        var schema: [String: Value] = ["type": "integer", "description": .string(description)]
        if let minimum { schema["minimum"] = .int(minimum) }
        if let maximum { schema["maximum"] = .int(maximum) }
        return .object(schema)
    }

    static func boolean(_ description: String) -> Value {
        .object(["type": "boolean", "description": .string(description)])
    }

    static func strings(_ description: String, enumeration: [String]? = nil) -> Value {
        var items: [String: Value] = ["type": "string"]
        if let enumeration { items["enum"] = .array(enumeration.map { .string($0) }) }
        return .object(["type": "array", "items": .object(items), "description": .string(description)])
    }
}
