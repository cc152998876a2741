import CLibXML2
import Foundation
import PlanKit

/// An XML part (of a DOCX or OFD package) parsed by libxml2 into Swift values, safely: no network, no
/// external DTD or entity is loaded, and entity references are left unexpanded (so neither an external
/// entity nor a "billion laughs" definition reaches the text).
///
/// Names are local names; `namespace` keeps the element's namespace URI for readers that need it.
public final class XMLElement: @unchecked Sendable {
    public let name: String
    public let namespace: String?
    public let attributes: [String: String]
    public private(set) var children: [XMLContent] = []
    /// The line in the part where the element starts, from libxml2.
    public let line: Int

    init(name: String, namespace: String?, attributes: [String: String], line: Int) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.line = line
    }

    /// The value of an attribute by local name (`w:val` → `val`).
    public func attribute(_ name: String) -> String? { attributes[name] }

    /// Child elements.
    public var elements: [XMLElement] {
        children.compactMap { if case .element(let element) = $0 { element } else { nil } }
    }

    /// The first child element with this local name.
    public func child(_ name: String) -> XMLElement? { elements.first { $0.name == name } }

    /// Child elements with this local name.
    public func children(_ name: String) -> [XMLElement] { elements.filter { $0.name == name } }

    /// The first element below (depth first) with this local name.
    public func firstDescendant(_ name: String) -> XMLElement? {
        for element in elements {
            if element.name == name { return element }
            if let found = element.firstDescendant(name) { return found }
        }
        return nil
    }

    /// Every element below with this local name, in document order.
    public func descendants(_ name: String) -> [XMLElement] {
        var result: [XMLElement] = []
        func walk(_ element: XMLElement) {
            for child in element.elements {
                if child.name == name { result.append(child) }
                walk(child)
            }
        }
        walk(self)
        return result
    }

    /// The text of the element and everything below it.
    public var text: String {
        children.map { content in
            switch content {
            case .text(let text): text
            case .element(let element): element.text
            }
        }.joined()
    }

    fileprivate func append(_ content: XMLContent) { children.append(content) }
}

/// A child of an element: an element or a run of text (CDATA included).
public enum XMLContent: Sendable {
    case element(XMLElement)
    case text(String)
}

public enum XMLTree {
    /// Parses one XML part. Throws `malformed` (`ingest.xml`) naming `source` and `part` when the bytes are not
    /// well-formed XML; elements nested deeper than `maxDepth` are refused the same way.
    public static func parse(_ data: Data, source: String, part: String, maxDepth: Int = 256) throws -> XMLElement {
        _ = initialised
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                            | XML_PARSE_NOCDATA.rawValue)
        let errors = XMLErrorCapture()
        let previousHandler = __xmlStructuredError().pointee
        let previousContext = __xmlStructuredErrorContext().pointee
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(errors).toOpaque(), xmlErrorCallback)
        defer { xmlSetStructuredErrorFunc(previousContext, previousHandler) }
        let document: xmlDocPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return nil }
            return xmlReadMemory(base.assumingMemoryBound(to: CChar.self), Int32(clamping: raw.count),
                                 part, nil, options)
        }
        guard let document else {
            let reason = errors.first ?? "not well-formed XML"
            throw IngestError.malformed(id: "ingest.xml", detail: "\(source): \(part): \(reason)")
        }
        defer { xmlFreeDoc(document) }
        guard let rootNode = xmlDocGetRootElement(document) else {
            throw IngestError.malformed(id: "ingest.xml", detail: "\(source): \(part): no root element")
        }
        guard let root = try convert(rootNode, depth: 0, maxDepth: maxDepth) else {
            throw IngestError.malformed(id: "ingest.xml", detail: "\(source): \(part): no root element")
        }
        return root
    }

    private static let initialised: Void = xmlInitParser()

    private static func convert(_ node: xmlNodePtr, depth: Int, maxDepth: Int) throws -> XMLElement? {
        guard node.pointee.type == XML_ELEMENT_NODE else { return nil }
        guard depth < maxDepth else {
            throw IngestError.malformed(id: "ingest.xml", detail: "elements nested deeper than \(maxDepth) levels")
        }
        let name = String(cString: node.pointee.name)
        let namespace = node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
        var attributes: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            let key = String(cString: current.pointee.name)
            var value = ""
            var child = current.pointee.children
            while let part = child {
                if part.pointee.type == XML_TEXT_NODE, let content = part.pointee.content {
                    value += String(cString: content)
                }
                child = part.pointee.next
            }
            attributes[key] = value
            attribute = current.pointee.next
        }
        let element = XMLElement(name: name, namespace: namespace, attributes: attributes,
                                 line: Int(xmlGetLineNo(node)))
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                if let converted = try convert(current, depth: depth + 1, maxDepth: maxDepth) {
                    element.append(.element(converted))
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { element.append(.text(String(cString: content))) }
            default:
                break  // comments, processing instructions, unexpanded entity references
            }
            child = current.pointee.next
        }
        return element
    }
}

/// Keeps libxml2's first error message during one parse.
private final class XMLErrorCapture {
    var first: String?
    func record(_ error: xmlError) {
        guard first == nil else { return }
        let message = error.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines)
        first = "line \(error.line): \(message ?? "XML error")"
    }
}

private let xmlErrorCallback: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    Unmanaged<XMLErrorCapture>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
}
