import Foundation
import PlanKit

extension InputFormat {
    public static let zip = InputFormat(rawValue: "zip")
}

/// The reader of a ZIP archive no other reader takes (neither DOCX nor OFD, or too damaged to tell): it
/// refuses the archive with an error naming a few of its parts, so that a batch reports the file instead of
/// reading its bytes as text. Registered last, so every ZIP-based format is asked first.
public enum UnknownZipReader: DocumentReader {
    public static let format = InputFormat.zip
    public static let fileExtensions: [String] = []
    public static let summary = "a ZIP archive that is no format above: refused, naming its parts"

    /// How many part names the error lists.
    static let listedParts = 5

    public static func recognize(_ sample: InputSample) -> Recognition {
        ZipPackage.looksLikeZip(sample.data) ? .content : .no
    }

    public static func read(_ input: ReaderInput) throws -> [IngestedText] {
        // Opening it reports a truncated or damaged archive as such.
        let package = try ZipPackage(data: input.data, source: input.source, maxExpandedBytes: input.options.maxExpandedBytes)
        let names = package.partNames
        let listed = names.prefix(listedParts).joined(separator: ", ")
        let more = names.count > listedParts ? " and \(names.count - listedParts) more" : ""
        throw IngestError.malformed(
            id: "ingest.zip-unknown",
            detail: "\(input.source): a ZIP archive that is neither DOCX (word/document.xml) nor OFD (OFD.xml); "
                + (names.isEmpty ? "it holds no file" : "it holds \(listed)\(more)"))
    }
}
