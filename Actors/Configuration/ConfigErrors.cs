namespace Gpuvmsim.Configuration;

/// <summary>
/// Every <see cref="ConfigException"/> the reader throws is built here, so the wording stays consistent and
/// each message says what was found and, where it helps, what would be accepted instead.
/// </summary>
internal static class ConfigErrors
{
    private static ConfigException At(ConfigOrigin origin, string reason, Exception? inner = null) => new(origin, reason, inner);

    // Files given by the caller: there is no position to name, only the file.
    public static InputException FileNotFound(string path, Exception e) => new($"{path}: configuration file not found", e);
    public static InputException FileUnreadable(string path, Exception e) => new($"{path}: cannot read configuration file: {e.Message}", e);

    // Tokens.
    public static ConfigException ReservedCharacter(ConfigOrigin o, char c) =>
        At(o, $"reserved character '{c}' is not allowed outside quotes" + (c == '+' ? " (did you mean '+='?)" : c == '$' ? " (a substitution is written ${path})" : ""));
    public static ConfigException InvalidInSubstitution(ConfigOrigin o, string found) => At(o, $"{found} is not allowed in a substitution path (quote the key)");
    public static ConfigException UnterminatedString(ConfigOrigin o) => At(o, "unterminated quoted string (a newline or the end of the file came before the closing '\"')");
    public static ConfigException UnterminatedMultilineString(ConfigOrigin o, ConfigOrigin start) =>
        At(o, $"end of file inside the multi-line string opened at {start.Line}:{start.Column} (no closing \"\"\")");
    public static ConfigException ControlCharacterInString(ConfigOrigin o, char c) =>
        At(o, $"control character U+{(int)c:X4} in a quoted string must be written as an escape (\\t, \\n, \\u{(int)c:x4}, ...)");
    public static ConfigException BadEscape(ConfigOrigin o, char c) => At(o, $"invalid escape '\\{c}' in quoted string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    public static ConfigException BadUnicodeEscape(ConfigOrigin o) => At(o, "invalid \\u escape: four hexadecimal digits must follow");
    public static ConfigException UnterminatedSubstitution(ConfigOrigin o) => At(o, "unterminated substitution: '${' without a closing '}'");

    // Paths.
    public static ConfigException InvalidPathExpression(ConfigOrigin o, string expression, string found) => At(o, $"invalid path expression '{expression}': unexpected {found}");
    public static ConfigException EmptyPath(ConfigOrigin o) => At(o, "empty path expression");
    public static ConfigException EmptyPathElement(ConfigOrigin o) => At(o, "invalid key: empty path element (write an empty key as \"\", and do not start or end a path with '.')");

    // Structure.
    public static ConfigException RootNotObject(ConfigOrigin o) => At(o, "the root of a configuration must be an object, not an array");
    public static ConfigException UnexpectedAfterRoot(ConfigOrigin o, string found) => At(o, $"unexpected {found} after the root value's closing bracket");
    public static ConfigException UnbalancedCloseBrace(ConfigOrigin o) => At(o, "unbalanced '}': the root object was not opened with '{'");
    public static ConfigException UnterminatedObject(ConfigOrigin o, ConfigOrigin open) =>
        At(o, $"unterminated object: end of file before the '}}' that closes the '{{' at {open.Line}:{open.Column}");
    public static ConfigException UnterminatedArray(ConfigOrigin o, ConfigOrigin open) =>
        At(o, $"unterminated array: end of file before the ']' that closes the '[' at {open.Line}:{open.Column}");
    public static ConfigException UnexpectedComma(ConfigOrigin o) => At(o, "unexpected ',': a comma must follow a value, and only one");
    public static ConfigException ExpectedSeparator(ConfigOrigin o, string after, string found) => At(o, $"expected ',' or a newline after {after}, got {found}");
    public static ConfigException ExpectedKey(ConfigOrigin o, string found) => At(o, $"expected a key, got {found}");
    public static ConfigException SubstitutionInKey(ConfigOrigin o) => At(o, "substitutions are not allowed in keys");
    public static ConfigException ExpectedKeySeparator(ConfigOrigin o, string key, string found) => At(o, $"expected ':', '=', '+=' or '{{' after key '{key}', got {found}");
    public static ConfigException ExpectedValue(ConfigOrigin o, string found) => At(o, $"expected a value, got {found}");
    public static ConfigException NestedTooDeep(ConfigOrigin o) => At(o, $"objects and arrays nest more than {Documents.MaxNesting} levels deep here");
    public static ConfigException PlusEqualsInArray(ConfigOrigin o) => At(o, "'+=' is not supported inside an array element");
    public static ConfigException ConcatenationTooLong(ConfigOrigin o, string what) => At(o, $"this concatenation would make {what}");
    public static ConfigException ConcatenationMismatch(ConfigOrigin o, string left, string right) =>
        At(o, $"cannot concatenate {left} with {right}: only strings with strings, arrays with arrays and objects with objects");

    // JSON files.
    public static ConfigException NotJson(ConfigOrigin o, string found) => At(o, $"{found} is not allowed in a .json file (it is read as strict JSON)");
    public static ConfigException JsonRootNotContainer(ConfigOrigin o, string found) => At(o, $"a .json file must hold an object, got {found}");
    public static ConfigException JsonUnexpected(ConfigOrigin o, string expected, string found) => At(o, $"expected {expected} in a .json file, got {found}");
    public static ConfigException JsonDuplicateKey(ConfigOrigin o, string key) => At(o, $"duplicate key {JsonRenderer.Quote(key)}: a .json file may define a key only once");

    // Includes.
    public static ConfigException BadInclude(ConfigOrigin o, string reason) => At(o, $"invalid include: {reason}");
    public static ConfigException IncludeNotSupported(ConfigOrigin o, string kind, string name) => At(o, $"include {kind}(\"{name}\") is not supported: only files can be included");
    public static ConfigException IncludeMissing(ConfigOrigin o, string path) => At(o, $"required include '{path}' does not exist");
    public static ConfigException IncludeCycle(ConfigOrigin o, string path) => At(o, $"include cycle: '{path}' is already being included");
    public static ConfigException IncludeInArrayWithSubstitutions(ConfigOrigin o) =>
        At(o, "an include inside an array element cannot hold substitutions (include the file outside the array, or remove the ${...} from it)");
    public static ConfigException IncludeUnreadable(ConfigOrigin o, string path, Exception e) => At(o, $"cannot read included file '{path}': {e.Message}", e);

    // Resolution.
    public static ConfigException UnresolvedSubstitution(ConfigOrigin o, string substitution) =>
        At(o, $"could not resolve substitution {substitution}: the path is not set and no environment variable answers it (use ${{?...}} for an optional value)");
    public static ConfigException SubstitutionCycle(ConfigOrigin o, string substitution, string cycle) =>
        At(o, $"substitution {substitution} is part of a cycle: {cycle}");
    public static ConfigException ResolutionTooDeep(ConfigOrigin o) => At(o, "substitutions nest too deeply to resolve");

    // Getters.
    public static ConfigException MissingPath(ConfigOrigin o, string path) => At(o, $"missing setting '{path}'");
    public static ConfigException WrongType(ConfigOrigin o, string path, string expected, HoconValue found) =>
        At(o, $"setting '{path}' must be {expected}, got {Describe(found)}");
    public static ConfigException BadUnitValue(ConfigOrigin o, string path, string family, string text, string units) =>
        At(o, $"setting '{path}' must be a {family}, got '{text}' (a number with an optional unit: {units})");
    public static ConfigException OutOfRange(ConfigOrigin o, string path, string text, string type) =>
        At(o, $"setting '{path}' is out of range for {type}: {text}");

    // Binding settings records.
    public static ConfigException UnknownValue(ConfigOrigin o, string path, string value, IEnumerable<string> known) =>
        At(o, $"setting '{path}' has the unknown value '{value}'; known: {string.Join(", ", known)}");
    public static ConfigException Invalid(ConfigOrigin o, string path, string reason, Exception? inner = null) =>
        At(o, $"setting '{path}' {reason}", inner);

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconArray => "an array",
        HoconNull => "null",
        HoconString s => $"the string {JsonRenderer.Quote(s.Value)}",
        HoconNumber n => $"the number {n.OriginalText}",
        HoconBoolean b => b.Value ? "true" : "false",
        _ => value.GetType().Name,
    };
}
