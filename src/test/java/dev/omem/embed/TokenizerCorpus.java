package dev.omem.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Varied test strings for checking the tokenizer against the reference, deterministic. */
final class TokenizerCorpus {

  private TokenizerCorpus() {}

  /** Hand-written cases plus seeded random mixes of many scripts; several hundred strings. */
  static List<String> all() {
    List<String> corpus = new ArrayList<>(handWritten());
    corpus.addAll(variants(handWritten().subList(0, 60)));
    corpus.addAll(random(new Random(20240508L), 220));
    corpus.addAll(longTexts());
    return corpus;
  }

  static List<String> handWritten() {
    return List.of(
        // Prose and memory-like notes.
        "The user prefers tabs over spaces for indentation",
        "Use tabs, not spaces, to indent code",
        "The deploy runs on Kubernetes in eu-west-1",
        "Hello, world!",
        "We decided to use PostgreSQL 16 instead of MySQL because of JSONB support.",
        "Don't commit secrets; use `.env.local` (it's git-ignored).",
        "1:56 pm on 8 May, 2023",
        "Meeting at 10:30am on 2024-01-15T09:00:00Z (UTC+02:00)",
        "The build takes ~3.5 minutes; p95 latency is 120ms; 99.9% uptime.",
        "Version 1.20.0-beta30 of dev.langchain4j:langchain4j-embeddings",
        "Price: $1,234.56 (€1.100,00 / £999.99 / ¥120000)",
        "Call +1 (555) 123-4567 or email jane.doe+test@example.co.uk",
        "I'm gonna re-run the tests... again?!",
        "“Smart quotes” and ‘single ones’ — plus an em dash – and en dash.",
        "«Guillemets» ‹single› „low quotes“",
        "Ellipsis… bullet • middle dot · dagger † section § pilcrow ¶",
        // Code.
        "public static void main(String[] args) { System.out.println(\"hi\"); }",
        "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }",
        "def embed(texts: list[str]) -> np.ndarray:\n    return model.encode(texts)",
        "const x = await fetch(`${BASE_URL}/api/v1/users?id=${id}&limit=10`);",
        "SELECT id, name FROM users WHERE email LIKE '%@example.com' ORDER BY 2 DESC;",
        "if err != nil { return fmt.Errorf(\"open %s: %w\", path, err) }",
        "fn main() -> Result<(), Box<dyn std::error::Error>> { Ok(()) }",
        "x => x.map(y => y ** 2).filter(Boolean) ?? []",
        "a==b&&c!=d||e<=f>=g<<h>>i>>>j",
        "#include <stdio.h>\nint main(void){return 0;}",
        "<div class=\"container\"><a href='/x?a=1&b=2'>link</a></div>",
        "{\"key\": [1, 2.5, -3e10, true, null], \"nested\": {\"a\": \"b\"}}",
        "key: value\nlist:\n  - item1\n  - item2 # comment",
        "@Override\npublic String toString() { return \"Foo{\" + bar + '}'; }",
        "git commit -m \"fix: handle NPE in UserService#findById\" && git push origin HEAD",
        "mvn -q -o -Dspotless.check.skip=true test -Dtest='dev.omem.embed.*Test'",
        "docker run --rm -it -v $(pwd):/work -p 8080:8080 ghcr.io/org/img:1.2.3",
        "kubectl -n prod get pods -l app=api -o jsonpath='{.items[*].metadata.name}'",
        "λx.λy.x",
        "0x7FFFFFFF 0b1010 0o755 1_000_000 3.14159f 2.0e-3d",
        "// TODO(jane): remove after 2025-Q3\n/* block */ /** javadoc */",
        "$ ls -la ~/.m2/repository | grep -E '^d' > out.txt 2>&1",
        "@@ -1,4 +1,5 @@\n-old line\n+new line\n context",
        "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>",
        "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"s\" is null",
        "\tat com.example.Foo.bar(Foo.java:42)",
        // Identifiers.
        "camelCaseIdentifier",
        "PascalCaseHTTPServerFactoryBean",
        "snake_case_variable_name",
        "SCREAMING_SNAKE_CASE_CONSTANT",
        "kebab-case-file-name.tsx",
        "getUserByIdAndEmailOrThrow",
        "XMLHttpRequest",
        "__init__.py",
        "__dunder__ _private __mangled",
        "i18n l10n a11y k8s",
        "IOException RuntimeException ConcurrentModificationException",
        // URLs and paths.
        "https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/normalizers/bert.rs#L42",
        "http://localhost:8080/api/v2/items?sort=desc&page=3#section-2",
        "ftp://user:pass@host.example.org:21/path/to/file.tar.gz",
        "file:///C:/Users/Jane%20Doe/Documents/report%202023.pdf",
        "/usr/local/lib/python3.11/site-packages/numpy/__init__.py",
        "C:\\Program Files\\Java\\jdk-17\\bin\\java.exe",
        "src/main/java/dev/omem/embed/WordPieceTokenizer.java",
        "~/.config/omem/config.toml",
        "../../relative/path/../to/./file",
        "user@example.com, admin@sub.domain.io",
        "192.168.0.1:5432 and [2001:db8::1]:443",
        "mailto:someone@example.com?subject=Hi%20there",
        // Emoji and symbols.
        "I love this 😀😃😄 so much 🎉🎉",
        "Thumbs up 👍🏽 and family 👨‍👩‍👧‍👦 and flag 🇩🇪🇯🇵",
        "Heart ❤️ star ⭐ check ✅ cross ❌ warning ⚠️",
        "Math: ∑ ∫ ∂ √ ∞ ≈ ≠ ≤ ≥ ± × ÷ ∈ ∉ ∀ ∃",
        "Arrows → ← ↑ ↓ ⇒ ⇔ ↔",
        "Box drawing ┌─┐│└┘ and blocks █▓▒░",
        "Currency ₹ ₩ ₪ ₫ ₿ ¢",
        "Newer emoji 🥲 🫠 🫶 🪿 🧑‍💻",
        "Keycap 1️⃣ #️⃣ and variation selectors ︎︎",
        "Musical 𝄞 and math bold 𝐀𝐁𝐂 and fraktur 𝔄𝔅",
        "™ ® © ℃ ℉ № ℗ ℠",
        // Accents and other scripts.
        "Café naïve résumé façade coöperate jalapeño",
        "Ångström Øresund Æsir ŒUVRE straße Straße",
        "İstanbul ıiİI Σίσυφος ΟΔΥΣΣΕΥΣ",
        "Ĉu vi parolas Esperanton? Ŝi ĝuas ĉokoladon.",
        "Tiếng Việt có dấu: Nguyễn Thị Minh Khai",
        "Zażółć gęślą jaźń",
        "Příliš žluťoučký kůň úpěl ďábelské ódy",
        "Москва — столица России. Ёлка, йогурт.",
        "Ελληνικά: Καλημέρα κόσμε",
        "עברית: שלום עולם",
        "العربية: مرحبا بالعالم",
        "हिन्दी: नमस्ते दुनिया",
        "ไทย: สวัสดีชาวโลก",
        "한국어: 안녕하세요 세계",
        "日本語: こんにちは世界、カタカナ、ひらがな。",
        "中文：你好，世界！我们今天去北京。",
        "繁體中文：資料庫連線逾時",
        "混合 mixed 文本 text 123",
        "𠀀𠀁𪚥 rare CJK extension B",
        "ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ ！？",
        "ﬁ ﬂ ligatures and ½ ¼ ¾ fractions and ² ³ superscripts",
        "a\u0301 e\u0300 o\u0308 (combining marks)",
        "Zalgo t\u0336\u0337e\u0338x\u0335t\u0334",
        // Whitespace, control characters, special tokens.
        "",
        " ",
        "   \t\n  ",
        "\n\n\n",
        "tab\tseparated\tvalues",
        "line one\r\nline two\rline three\nline four",
        "vertical\u000Btab and form\u000Cfeed",
        "null\u0000char and bell\u0007 and escape\u001B[31m",
        "no\u00A0break\u202Fnarrow\u2007figure space",
        "ideographic\u3000space and en\u2002em\u2003spaces",
        "zero\u200Bwidth\u200Cjoiners\u200Dand\uFEFFbom",
        "soft\u00ADhyphen and word\u2060joiner",
        "replacement \uFFFD char",
        "private use \uE000\uF8FF",
        "rtl \u202Eoverride\u202C and lrm\u200E",
        "[CLS] hello [SEP]",
        "[MASK] is a special token, [UNK] too, and [PAD]",
        "lowercase [cls] and [sep] are not special",
        "[[SEP]] nested [ SEP ] spaced [SEP[SEP]]",
        "x[CLS]y[SEP]z",
        "##not a continuation ## ### ####",
        // Punctuation runs and numbers.
        "!!!???...,,,;;;:::",
        "----====____****####",
        "()[]{}<>\"'`~!@#$%^&*-+=|\\/:;,.?",
        "...",
        "a.b.c.d",
        "e.g. i.e. etc. vs. Mr. Dr.",
        "3.14159265358979323846264338327950288419716939937510",
        "12345678901234567890",
        "1,000,000 and 1.000.000 and 1 000 000",
        "-42 +17 ±3 ~5",
        "50% off!!! 100%",
        "2023-05-08 08/05/2023 May 8th, 2023",
        "v1.2.3-rc.1+build.456",
        "¿Qué? ¡Sí! «Oui» 『括弧』「かぎ」【墨付き】",
        // Long words.
        "a".repeat(99),
        "a".repeat(100),
        "a".repeat(101),
        "b".repeat(250),
        "supercalifragilisticexpialidocious",
        "pneumonoultramicroscopicsilicovolcanoconiosis",
        "x".repeat(100) + " short words after",
        "😀".repeat(100),
        "😀".repeat(101),
        "é".repeat(101),
        "e\u0301".repeat(60),
        "abc".repeat(40) + "-" + "def".repeat(40),
        "Antidisestablishmentarianism and floccinaucinihilipilification",
        "unbelievably unsurprisingly uncharacteristically",
        "qwzxqwzx jjjjkkkk zzzzyyyy",
        "ThisIsAVeryLongCamelCaseIdentifierThatGoesOnAndOnForeverAndEverAndEverUntilItExceedsOneHundredCharactersTotal");
  }

  /** Case, punctuation and spacing variants of some hand-written strings. */
  private static List<String> variants(List<String> base) {
    List<String> out = new ArrayList<>();
    for (String s : base) {
      out.add(s.toUpperCase(java.util.Locale.ROOT));
      out.add("(" + s + ")");
      out.add("  " + s.replace(' ', '\t') + "\n");
    }
    return out;
  }

  private static final String[] POOLS = {
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    " \t\n\r",
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿÀÁÂÃÄÅÇÉÑÖÜßœŒ",
    "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔΣΩ",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЁ",
    "你好世界中文字符数据库连接超时",
    "こんにちはカタカナひらがな",
    "안녕하세요세계",
    "مرحبابالعالم",
    "नमस्तेदुनिया",
    "\u0301\u0300\u0308\u0327\u0303",
    "\u200B\u200C\u200D\u00A0\u2002\u3000\uFEFF\u00AD",
    "\u0000\u0001\u0007\u001B\u007F\u0085",
    "“”‘’«»—–…•·§¶†‡",
    "€£¥₹₿¢",
  };

  private static final String[] EMOJI = {
    "😀", "👍🏽", "👨‍👩‍👧", "🇩🇪", "❤️", "🥲", "🫠", "𝐀", "𠀀"
  };

  /** Seeded random strings drawn from many scripts, symbols, marks and control characters. */
  private static List<String> random(Random rnd, int count) {
    List<String> out = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      int len = 1 + rnd.nextInt(n % 10 == 0 ? 400 : 60);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < len; i++) {
        if (rnd.nextInt(20) == 0) {
          sb.append(EMOJI[rnd.nextInt(EMOJI.length)]);
        } else {
          // Mostly letters and spaces, so that words form and hit the vocabulary.
          int pool = rnd.nextInt(3) > 0 ? rnd.nextInt(3) : rnd.nextInt(POOLS.length);
          String chars = POOLS[pool];
          sb.append(chars.charAt(rnd.nextInt(chars.length())));
        }
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** Texts well past 512 word pieces, to exercise truncation. */
  static List<String> longTexts() {
    String sentence = "The quick brown fox jumps over the lazy dog near the riverbank. ";
    return List.of(
        sentence.repeat(60),
        "word ".repeat(1000),
        "tokenization ".repeat(300) + "[SEP] tail",
        "日本語のテキスト。".repeat(120),
        "a,".repeat(700),
        "x".repeat(5000));
  }
}
