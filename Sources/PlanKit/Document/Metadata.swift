/// What a document says about itself: title, dates, issuer, numbers, where it sits on its site.
/// Every field is absent when unknown; nothing is guessed.
public struct Metadata: Codable, Hashable, Sendable {
    public var title: String?
    /// Publication date (发布日期), ISO 8601 (`2019-02-15`).
    public var date: String?
    /// Date written or adopted (成文日期), ISO 8601.
    public var writtenDate: String?
    /// 发文机关 / 来源.
    public var issuer: String?
    /// 发文字号, e.g. 国发〔2019〕3号.
    public var documentNumber: String?
    /// 索引号.
    public var indexNumber: String?
    /// 主题分类.
    public var subject: String?
    /// The site's breadcrumb, outermost first.
    public var breadcrumb: [String]?
    /// The input's path (for one document of a JSON Lines file, `path#line`).
    public var source: String?
    /// The page's address, when the input says it.
    public var url: String?
    /// The encoding as detected ("UTF-8", "GB18030", "UTF-16LE"); absent for binary formats (PDF, DOCX, OFD).
    public var encoding: String?
    /// The format the document was read from: html, text, markdown, jsonl, pdf, docx, doc, wps, ofd.
    public var format: String?
    /// The author the file's own properties name (DOCX core properties, PDF Info, OFD DocInfo).
    public var author: String?
    /// How many pages the source has, where it has pages (PDF, OFD).
    public var pages: Int?
    /// The short names the document defines (以下简称“沈阳片区”), found by `AbbreviationFinder`.
    public var abbreviations: [Abbreviation]?

    public init(title: String? = nil, date: String? = nil, writtenDate: String? = nil, issuer: String? = nil,
                documentNumber: String? = nil, indexNumber: String? = nil, subject: String? = nil,
                breadcrumb: [String]? = nil, source: String? = nil, url: String? = nil, encoding: String? = nil) {
        self.title = title
        self.date = date
        self.writtenDate = writtenDate
        self.issuer = issuer
        self.documentNumber = documentNumber
        self.indexNumber = indexNumber
        self.subject = subject
        self.breadcrumb = breadcrumb
        self.source = source
        self.url = url
        self.encoding = encoding
    }

    /// Fills each field that is still unknown from `other`; known fields win.
    public mutating func fillGaps(from other: Metadata) {
        title = title ?? other.title
        date = date ?? other.date
        writtenDate = writtenDate ?? other.writtenDate
        issuer = issuer ?? other.issuer
        documentNumber = documentNumber ?? other.documentNumber
        indexNumber = indexNumber ?? other.indexNumber
        subject = subject ?? other.subject
        breadcrumb = breadcrumb ?? other.breadcrumb
        source = source ?? other.source
        url = url ?? other.url
        encoding = encoding ?? other.encoding
        format = format ?? other.format
        author = author ?? other.author
        pages = pages ?? other.pages
        abbreviations = abbreviations ?? other.abbreviations
    }
}
