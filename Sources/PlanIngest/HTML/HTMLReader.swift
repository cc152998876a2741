import Foundation
import PlanKit

extension InputFormat {
    public static let html = InputFormat(rawValue: "html")
}

/// HTML pages, through libxml2 (`HTMLIngester`).
public enum HTMLReader: DocumentReader {
    public static let format = InputFormat.html
    public static let fileExtensions = ["html", "htm", "shtml", "xhtml"]
    public static let summary = "HTML pages (libxml2): the article without the site around it, with the page's metadata"

    private static let markers = ["<!doctype html", "<html", "<head", "<body", "<meta", "<div", "<table", "<p",
                                  "<!--", "<span", "<title"]

    public static func recognize(_ sample: InputSample) -> Recognition {
        let lowered = sample.head.prefix(600).lowercased()
        if sample.head.hasPrefix("<"), markers.contains(where: { lowered.hasPrefix($0) }) || lowered.contains("</"),
           !(lowered.hasPrefix("<!--") && !lowered.contains("<html") && !lowered.contains("<div")) {
            return .content
        }
        return fileExtensions.contains(sample.pathExtension) ? .fileExtension : .no
    }

    public static func read(_ input: ReaderInput) throws -> [IngestedText] {
        var ingested = try HTMLIngester.ingest(input.data, source: input.source)
        ingested.metadata.source = input.source
        return [ingested]
    }
}
