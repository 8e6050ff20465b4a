using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gpuvmsim.Model;

namespace Gpuvmsim.Host.Cli;

/// <summary>A line of gpuvm-ops input that is not a well-formed case; the message names the line and the field or column.</summary>
internal sealed class GpuvmOpsFormatException(string location, string detail, string? caseId) : InputException($"line {location}: {detail}")
{
    /// <summary>Where: <c>LINE</c> or <c>LINE:COLUMN</c> (1-based).</summary>
    public string Location { get; } = location;

    /// <summary>What is wrong, naming the field when there is one.</summary>
    public string Detail { get; } = detail;

    /// <summary>The case's id when the line got far enough to have one.</summary>
    public string? CaseId { get; } = caseId;
}

/// <summary>
/// The JSON Lines codec of shared/spec/gpuvm-ops-format.md: reads a case (ignoring `steps`,
/// `final`, `note` and unknown keys) and writes a result in the format's key order, every number
/// a JSON integer written from its u64 value without loss.
/// </summary>
internal static class GpuvmOpsJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses one input line (1-based <paramref name="lineNumber"/> for messages).</summary>
    /// <exception cref="GpuvmOpsFormatException">The line is not valid JSON or a field is missing or of the wrong type.</exception>
    public static GpuvmOpsCase Parse(string line, int lineNumber)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new GpuvmOpsFormatException($"{lineNumber}:{(e.BytePositionInLine ?? 0) + 1}", $"not valid JSON: {FirstSentence(e.Message)}", null);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new GpuvmOpsFormatException($"{lineNumber}", $"a case must be a JSON object, not {root.ValueKind}", null);
            string? id = null;
            if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String)
                id = idElement.GetString();
            var fields = new FieldReader(lineNumber, id);
            if (id is null)
                throw fields.Error("id", "a string is required");
            var mmStart = fields.U64(root, "mm_start");
            var mmRange = fields.U64(root, "mm_range");
            var requests = fields.Required(root, "requests");
            if (requests.ValueKind != JsonValueKind.Array)
                throw fields.Error("requests", "an array is required");
            var list = ImmutableArray.CreateBuilder<VmRequest>(requests.GetArrayLength());
            var i = 0;
            foreach (var req in requests.EnumerateArray())
                list.Add(fields.Request(req, $"requests[{i++}]"));
            return new GpuvmOpsCase(id, mmStart, mmRange, list.MoveToImmutable());
        }
    }

    /// <summary>Writes <c>{"id":...,"steps":[[...],...],"final":[...]}</c> or <c>{"id":...,"error":"..."}</c>.</summary>
    public static void Write(Stream output, GpuvmOpsResult result)
    {
        using (var w = new Utf8JsonWriter(output, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("id", result.Id);
            if (result.Error is { } error)
            {
                w.WriteString("error", error);
            }
            else
            {
                w.WriteStartArray("steps");
                foreach (var steps in result.Steps)
                {
                    w.WriteStartArray();
                    foreach (var op in steps)
                        WriteOp(w, op);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteStartArray("final");
                foreach (var va in result.Final)
                    WriteVa(w, va.Addr, va.Range, va.Obj, va.Offset);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
    }

    /// <summary>Writes the error line of a malformed input line.</summary>
    public static void WriteError(Stream output, string? id, string error)
    {
        using (var w = new Utf8JsonWriter(output, WriterOptions))
        {
            w.WriteStartObject();
            if (id is null)
                w.WriteNull("id");
            else
                w.WriteString("id", id);
            w.WriteString("error", error);
            w.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
    }

    private static void WriteOp(Utf8JsonWriter w, GpuVaOp op)
    {
        w.WriteStartObject();
        switch (op.Kind)
        {
            case GpuVaOpKind.Map:
                w.WriteString("op", "map");
                WriteVaFields(w, op.Map.Addr, op.Map.Range, op.Map.Obj, op.Map.Offset);
                break;
            case GpuVaOpKind.Unmap:
                w.WriteString("op", "unmap");
                w.WritePropertyName("va");
                WriteVa(w, op.Unmap.Va.Addr, op.Unmap.Va.Range, op.Unmap.Va.Obj, op.Unmap.Va.Offset);
                w.WriteBoolean("keep", op.Unmap.Keep);
                break;
            default:
                w.WriteString("op", "remap");
                w.WriteStartObject("unmap");
                w.WritePropertyName("va");
                var va = op.Remap.Unmap.Va;
                WriteVa(w, va.Addr, va.Range, va.Obj, va.Offset);
                w.WriteBoolean("keep", op.Remap.Unmap.Keep);
                w.WriteEndObject();
                WritePiece(w, "prev", op.Remap.Prev);
                WritePiece(w, "next", op.Remap.Next);
                break;
        }
        w.WriteEndObject();
    }

    private static void WritePiece(Utf8JsonWriter w, string name, OpMap? piece)
    {
        w.WritePropertyName(name);
        if (piece is { } p)
            WriteVa(w, p.Addr, p.Range, p.Obj, p.Offset);
        else
            w.WriteNullValue();
    }

    private static void WriteVa(Utf8JsonWriter w, ulong addr, ulong range, ObjId? obj, ulong offset)
    {
        w.WriteStartObject();
        WriteVaFields(w, addr, range, obj, offset);
        w.WriteEndObject();
    }

    private static void WriteVaFields(Utf8JsonWriter w, ulong addr, ulong range, ObjId? obj, ulong offset)
    {
        w.WriteNumber("addr", addr);
        w.WriteNumber("range", range);
        if (obj is { } o)
            w.WriteNumber("bo", o.Value);
        else
            w.WriteNull("bo");
        w.WriteNumber("offset", offset);
    }

    private static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
                message = message[..cut];
        }
        return message;
    }

    /// <summary>Reads typed fields and builds messages naming the line and the field.</summary>
    private readonly struct FieldReader(int line, string? id)
    {
        public GpuvmOpsFormatException Error(string field, string message) =>
            new($"{line}", $"field {field}: {message}", id);

        public JsonElement Required(JsonElement obj, string name, string? path = null) =>
            obj.TryGetProperty(name, out var value) ? value : throw Error(path ?? name, "missing");

        public ulong U64(JsonElement obj, string name, string? path = null)
        {
            var value = Required(obj, name, path);
            return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var n)
                ? n
                : throw Error(path ?? name, $"expected an unsigned 64-bit integer, got {Show(value)}");
        }

        public VmRequest Request(JsonElement req, string path)
        {
            if (req.ValueKind != JsonValueKind.Object)
                throw Error(path, $"a request must be an object, got {Show(req)}");
            var op = Required(req, "op", path + ".op");
            var addr = U64(req, "addr", path + ".addr");
            var range = U64(req, "range", path + ".range");
            switch (op.ValueKind == JsonValueKind.String ? op.GetString() : null)
            {
                case "unmap":
                    return new UnmapRequest(addr, range);
                case "map":
                    var bo = Required(req, "bo", path + ".bo");
                    ObjId? obj = bo.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.Number when bo.TryGetInt64(out var b) => new ObjId(b),
                        _ => throw Error(path + ".bo", $"expected an integer or null, got {Show(bo)}"),
                    };
                    return new MapRequest(addr, range, obj, U64(req, "offset", path + ".offset"));
                default:
                    throw Error(path + ".op", $"expected \"map\" or \"unmap\", got {Show(op)}");
            }
        }

        private static string Show(JsonElement e)
        {
            var text = e.GetRawText();
            return text.Length <= 40 ? text : text[..40] + "...";
        }
    }
}
