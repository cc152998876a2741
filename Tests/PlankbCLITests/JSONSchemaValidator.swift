import Foundation

/// A validator for the part of JSON Schema 2020-12 that `schemas/` uses: type, properties, required,
/// additionalProperties (false or a schema), items, enum, const, pattern, minimum, $ref to `#/$defs/…`,
/// anyOf/oneOf. Enough to check the tool's real output against the published schemas without a dependency.
struct JSONSchemaValidator {
    let root: [String: Any]
    /// Where the schema lives: a `$ref` to another file ("record.schema.json") is read from beside it.
    let baseURL: URL

    init(schemaAt url: URL) throws {
        root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        baseURL = url.deletingLastPathComponent()
    }

    /// The violations found, as `path: problem`; empty when the value is valid.
    func validate(_ value: Any) -> [String] {
        var problems: [String] = []
        check(value, against: root, at: "$", into: &problems)
        return problems
    }

    private func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/") else { return schema }
        var node: Any = root
        for part in ref.dropFirst(2).split(separator: "/") {
            node = (node as! [String: Any])[String(part)]!
        }
        var merged = node as! [String: Any]
        for (key, value) in schema where key != "$ref" { merged[key] = value }
        return resolve(merged)
    }

    private func check(_ value: Any, against rawSchema: [String: Any], at path: String, into problems: inout [String]) {
        if let ref = rawSchema["$ref"] as? String, !ref.hasPrefix("#") {
            guard let other = try? JSONSchemaValidator(schemaAt: baseURL.appendingPathComponent(ref)) else {
                problems.append("\(path): cannot read the schema \(ref)")
                return
            }
            problems += other.validate(value).map { path + $0.dropFirst() }
            return
        }
        let schema = resolve(rawSchema)
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as! String]
            if !types.contains(where: { Self.matches(value, type: $0) }) {
                problems.append("\(path): expected \(types.joined(separator: "|")), found \(Swift.type(of: value))")
                return
            }
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { Self.equal($0, value) }) {
            problems.append("\(path): \(value) is not one of \(allowed)")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            problems.append("\(path): \(value) is not \(constant)")
        }
        if let pattern = schema["pattern"] as? String, let string = value as? String,
           string.range(of: pattern, options: .regularExpression) == nil {
            problems.append("\(path): “\(string)” does not match \(pattern)")
        }
        if let minimum = schema["minimum"] as? Double, let number = value as? NSNumber, number.doubleValue < minimum {
            problems.append("\(path): \(number) is below \(minimum)")
        }
        if let options = (schema["anyOf"] ?? schema["oneOf"]) as? [[String: Any]] {
            let passing = options.filter { option in
                var scratch: [String] = []
                check(value, against: option, at: path, into: &scratch)
                return scratch.isEmpty
            }
            if passing.isEmpty { problems.append("\(path): matches none of the alternatives") }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                problems.append("\(path): missing required “\(name)”")
            }
            for (name, member) in object {
                if let propertySchema = properties[name] {
                    check(member, against: propertySchema, at: "\(path).\(name)", into: &problems)
                } else if let additional = schema["additionalProperties"] {
                    if let allowed = additional as? Bool, !allowed {
                        problems.append("\(path): unexpected property “\(name)”")
                    } else if let additionalSchema = additional as? [String: Any] {
                        check(member, against: additionalSchema, at: "\(path).\(name)", into: &problems)
                    }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                check(element, against: items, at: "\(path)[\(index)]", into: &problems)
            }
        }
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "null": return value is NSNull
        case "boolean":
            guard let number = value as? NSNumber else { return false }
            return String(cString: number.objCType) == "c" || Swift.type(of: value) == Bool.self
        case "integer":
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return false }
            return number.doubleValue.rounded() == number.doubleValue
        case "number": return value is NSNumber
        default: return false
        }
    }

    private static func equal(_ left: Any, _ right: Any) -> Bool {
        if let left = left as? String, let right = right as? String { return left == right }
        if let left = left as? NSNumber, let right = right as? NSNumber { return left == right }
        return false
    }
}
