/// Words `plankb terms --top` and `plankb cooccur` leave out: one entry a line, `#` starts a comment. A single
/// character drops every word containing it (的 drops 我的, 的是); a longer entry drops that word only.
public struct StopList: Hashable, Sendable {
    public var characters: Set<Character> { didSet { singleScalars = Self.singleScalars(of: characters) } }
    public var words: Set<String>

    public init(text: String) {
        var characters: Set<Character> = []
        var words: Set<String> = []
        for line in text.split(whereSeparator: \.isNewline) {
            let entry = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard !entry.isEmpty else { continue }
            if entry.count == 1 { characters.insert(entry.first!) } else { words.insert(entry.lowercased()) }
        }
        self.characters = characters
        self.words = words
        self.singleScalars = Self.singleScalars(of: characters)
    }

    public func excludes(_ word: String) -> Bool {
        words.contains(word) || word.contains(where: characters.contains)
    }

    /// `excludes` for a word each of whose scalars is a character of its own (Han ideographs, ASCII without a
    /// carriage return), as `TermStatistics.words` cuts them: its characters are then looked up as scalars,
    /// without breaking it into grapheme clusters and hashing each one.
    func excludes(simpleWord word: String) -> Bool {
        words.contains(word) || word.unicodeScalars.contains(where: singleScalars.contains)
    }

    /// The one-character entries that are one scalar (the only ones a simple word's characters can equal).
    private var singleScalars: Set<Unicode.Scalar> = []

    private static func singleScalars(of characters: Set<Character>) -> Set<Unicode.Scalar> {
        Set(characters.compactMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first : nil })
    }

    /// The default list: particles and conjunctions (one character), and the bigrams of function phrases that
    /// a character cut leaves behind (进一步 → 进一, 一步).
    public static let standardText = """
        # Particles, conjunctions, prepositions: a word containing one of these is left out.
        的
        了
        和
        与
        及
        或
        等
        之
        其
        并
        把
        被
        对
        于
        在
        是
        # Function phrases and the pieces they leave.
        进一
        一步
        有关
        相关
        通过
        按照
        根据
        可以
        应当
        进行
        以及
        其中
        同时
        以上
        以下
        我们
        我国
        一是
        二是
        三是
        一批
        一些
        一个
        各地
        地区
        方面
        """

    public static let standard = StopList(text: standardText)
}
