import Foundation
import PlanKit

/// A form of input PlanKB reads (`html`, `pdf`, `docx` …). Each reader declares its own as a static constant
/// next to its code, so adding a format adds no case to a shared enum.
public struct InputFormat: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The format of `data`, judged from its content first and its file extension second (`DocumentReaders`).
    public static func detect(_ data: Data, pathExtension: String) -> InputFormat {
        DocumentReaders.reader(for: InputSample(data, pathExtension: pathExtension)).format
    }
}

/// What a reader is handed: the bytes, where they came from, and the settings of the run.
public struct ReaderInput: Sendable {
    public var data: Data
    /// Names the document in metadata and diagnostics (a path, or `-`).
    public var source: String
    /// The file on disk, when the bytes came from one (an external converter can then read it in place).
    public var fileURL: URL?
    public var pathExtension: String
    public var options: ReaderOptions

    public init(data: Data, source: String, fileURL: URL? = nil, pathExtension: String = "",
                options: ReaderOptions = ReaderOptions()) {
        self.data = data
        self.source = source
        self.fileURL = fileURL
        self.pathExtension = pathExtension
        self.options = options
    }
}

/// Settings readers share.
public struct ReaderOptions: Sendable, Hashable {
    /// How long an external converter (pdftohtml, LibreOffice) may run on one file, in seconds.
    public var converterTimeout: Double
    /// The most bytes one ZIP entry (or a whole archive) may expand to: past it the archive is refused as a
    /// ZIP bomb.
    public var maxExpandedBytes: Int

    public init(converterTimeout: Double = 120, maxExpandedBytes: Int = 512 << 20) {
        self.converterTimeout = converterTimeout
        self.maxExpandedBytes = maxExpandedBytes
    }
}

/// How sure a reader is that an input is its format.
public enum Recognition: Int, Comparable, Sendable {
    /// Not this format.
    case no = 0
    /// A weak sign in the text (a Markdown `# ` heading).
    case guess = 1
    /// The file extension says so.
    case fileExtension = 2
    /// The content says so (a magic number, an HTML tag, a ZIP holding `word/document.xml`).
    case content = 3

    public static func < (lhs: Recognition, rhs: Recognition) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The start of an input, decoded once for every reader that looks at it.
public struct InputSample: Sendable {
    public let data: Data
    public let pathExtension: String
    /// The first ~2,000 characters as text (UTF-16 decoded when it is UTF-16), without leading white space or
    /// a byte-order mark.
    public let head: Substring

    public init(_ data: Data, pathExtension: String) {
        self.data = data
        self.pathExtension = pathExtension.lowercased()
        var head = String(decoding: data.prefix(2048), as: UTF8.self)
        // UTF-16 (with or without a byte-order mark) has NUL bytes in the ASCII of its tags.
        let sample = data.prefix(512)
        if sample.starts(with: [0xFF, 0xFE]) || sample.starts(with: [0xFE, 0xFF])
            || sample.filter({ $0 == 0 }).count * 4 > sample.count,
           let decoded = try? TextDecoder.decode(Data(data.prefix(4096))) {
            head = String(decoded.text.prefix(2048))
        }
        self.head = head.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
    }

    /// Whether the bytes start with `magic`.
    public func starts(with magic: [UInt8]) -> Bool { data.starts(with: magic) }
}

/// A reader of one input format: it recognises its inputs and turns them into blocks and metadata
/// (`IngestedText`) for segmentation. Readers never segment; `DocumentLoader` runs the stages after them.
///
/// To add a format: a folder under `Sources/PlanIngest/` with a type conforming to this, and one line in
/// `DocumentReaders.all`. The folder walk, content sniffing and `--help` texts follow from the registration.
public protocol DocumentReader: Sendable {
    /// The format's name, as metadata and errors report it.
    static var format: InputFormat { get }
    /// File name endings a folder walk takes for this format (lower case, without the dot).
    static var fileExtensions: [String] { get }
    /// One line for `--help` and README: what is read and through what.
    static var summary: String { get }
    /// How sure this reader is that `sample` is its format.
    static func recognize(_ sample: InputSample) -> Recognition
    /// The documents in the input: most formats hold one, a JSON Lines file one a line. Throws when the input
    /// cannot be read at all (`IngestError`); everything short of that is a diagnostic.
    static func read(_ input: ReaderInput) throws -> [IngestedText]
}

/// The formats PlanKB reads, registered once: content sniffing, the folder walk and the loader all use this
/// list. Order breaks ties between readers equally sure of an input.
public enum DocumentReaders {
    public static let all: [any DocumentReader.Type] = [
        HTMLReader.self,
        PDFReader.self,
        DOCXReader.self,
        DOCReader.self,
        JSONLinesReader.self,
        MarkdownReader.self,
        PlainTextReader.self,
        OFDReader.self,
        // Last: a ZIP archive that no reader above recognised.
        UnknownZipReader.self,
    ]

    /// The reader of last resort: plain text.
    static let fallback: any DocumentReader.Type = PlainTextReader.self

    /// Every file extension some reader takes.
    public static let fileExtensions: Set<String> = Set(all.flatMap { $0.fileExtensions })

    /// The extensions a folder walk takes, in the readers' order, as `--help` lists them
    /// (`.html .htm … .ofd`).
    public static var fileExtensionList: String {
        all.flatMap { $0.fileExtensions }.map { "." + $0 }.joined(separator: " ")
    }

    /// One row per format for `--help`: its name, then what is read and through what.
    public static var formatTable: String {
        let named = all.filter { !$0.fileExtensions.isEmpty }
        let width = (named.map { $0.format.rawValue.count }.max() ?? 0) + 2
        return named.map { reader in
            let name = reader.format.rawValue
            return "  " + name + String(repeating: " ", count: width - name.count) + reader.summary
        }.joined(separator: "\n")
    }

    /// The reader most sure of `sample`; plain text when none is.
    public static func reader(for sample: InputSample) -> any DocumentReader.Type {
        var best: (reader: any DocumentReader.Type, recognition: Recognition)?
        for reader in all {
            let recognition = reader.recognize(sample)
            if recognition > (best?.recognition ?? .no) { best = (reader, recognition) }
        }
        return best?.reader ?? fallback
    }

    /// The reader registered for `format`.
    public static func reader(for format: InputFormat) -> (any DocumentReader.Type)? {
        all.first { $0.format == format }
    }
}
