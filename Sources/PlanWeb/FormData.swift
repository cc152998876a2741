import Foundation

/// The fields of a query string or an `application/x-www-form-urlencoded` body, decoded (`+` is a space).
struct FormFields: Sendable {
    private var values: [String: [String]] = [:]

    init(urlEncoded text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The first value of `name`, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = values[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// The first value of `name` as a whole number; nil when absent or not a number.
    func integer(_ name: String) -> Int? { self[name].flatMap { Int($0) } }
}

/// One part of a `multipart/form-data` body (RFC 7578): its field name, file name if any, and bytes.
struct MultipartPart: Sendable {
    var name: String
    var filename: String?
    var data: Data

    /// The parts of `body`, split at `boundary`. Parts without a `Content-Disposition` name are skipped.
    static func parse(_ body: Data, boundary: String) -> [MultipartPart] {
        let bytes = [UInt8](body)
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [MultipartPart] = []
        var starts: [Int] = []
        var index = 0
        while let found = firstIndex(of: delimiter, in: bytes, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        for (start, end) in zip(starts, starts.dropFirst()) {
            var contentStart = start + delimiter.count
            // Skip the line break after the delimiter.
            if contentStart + 1 < bytes.count, bytes[contentStart] == 13, bytes[contentStart + 1] == 10 { contentStart += 2 }
            guard let headerEnd = firstIndex(of: Array("\r\n\r\n".utf8), in: bytes, from: contentStart), headerEnd < end else {
                continue
            }
            let headers = String(decoding: bytes[contentStart..<headerEnd], as: UTF8.self)
            var contentEnd = end
            // The line break before the next delimiter belongs to the delimiter, not to the content.
            if contentEnd >= 2, bytes[contentEnd - 2] == 13, bytes[contentEnd - 1] == 10 { contentEnd -= 2 }
            let dataStart = headerEnd + 4
            guard let name = parameter("name", in: headers), dataStart <= contentEnd else { continue }
            parts.append(MultipartPart(name: name, filename: parameter("filename", in: headers),
                                       data: Data(bytes[dataStart..<contentEnd])))
        }
        return parts
    }

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    static func boundary(ofContentType contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for piece in contentType.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("boundary=") {
                return String(trimmed.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// `name="value"` from a Content-Disposition header line.
    private static func parameter(_ name: String, in headers: String) -> String? {
        for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            for piece in line.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard piece.hasPrefix(name + "=") else { continue }
                return String(piece.dropFirst(name.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}
