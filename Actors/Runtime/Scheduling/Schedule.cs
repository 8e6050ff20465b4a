using System.Buffers.Text;

namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>
/// The ordered choices of one run (which channel delivered at each step, and any values picked); replaying it with the
/// same program reproduces the run exactly. Immutable.
///
/// Text form (version 1): <c>s1.</c> followed by unpadded base64url of the bytes
/// <c>varint(count) · choice* · fnv1a32(le, 4 bytes)</c>, where each choice is <c>varint(senderId·4 + kind)</c> then
/// <c>varint(receiverId)</c> for a delivery (kind 0 user, 1 system), or <c>varint(value·4 + 2)</c> for a value;
/// varints are LEB128 and the checksum covers every byte before it. A typical delivery takes 2 bytes.
/// </summary>
public sealed class Schedule : IEquatable<Schedule>
{
    /// <summary>The prefix of the current text version.</summary>
    public const string Prefix = "s1.";

    private readonly ScheduleChoice[] _choices;

    public Schedule(IEnumerable<ScheduleChoice> choices) => _choices = [.. choices];

    private Schedule(ScheduleChoice[] choices, bool _) => _choices = choices;

    internal static Schedule Wrap(ScheduleChoice[] choices) => new(choices, false);

    public static Schedule Empty { get; } = new([], false);

    public int Count => _choices.Length;

    public ScheduleChoice this[int index] => _choices[index];

    public IReadOnlyList<ScheduleChoice> Choices => _choices;

    /// <summary>The first <paramref name="count"/> choices (a prefix to replay before exploring further).</summary>
    public Schedule Take(int count) => new(_choices.AsSpan(0, Math.Min(count, _choices.Length)).ToArray(), false);

    /// <summary>The compact text form described on the type.</summary>
    public override string ToString()
    {
        var bytes = new List<byte>(_choices.Length * 2 + 8);
        WriteVarint(bytes, (ulong)_choices.Length);
        foreach (var c in _choices)
        {
            if (c.IsDelivery)
            {
                WriteVarint(bytes, ((ulong)(uint)c.SenderId << 2) | (byte)c.Kind);
                WriteVarint(bytes, (uint)c.ReceiverId);
            }
            else
            {
                WriteVarint(bytes, ((ulong)(uint)c.Value << 2) | (byte)ScheduleChoiceKind.Value);
            }
        }
        uint sum = Fnv1a(bytes);
        for (int i = 0; i < 4; i++) bytes.Add((byte)(sum >> (8 * i)));
        return Prefix + Base64Url.EncodeToString(bytes.ToArray());
    }

    /// <summary>Parses the text form.</summary>
    /// <exception cref="ScheduleFormatException">The text is not a schedule: wrong prefix or version, not base64url,
    /// truncated, trailing bytes, or a checksum mismatch (corruption); the message says which.</exception>
    public static Schedule Parse(string text)
    {
        if (!TryParse(text, out var schedule, out var error)) throw new ScheduleFormatException(error!);
        return schedule!;
    }

    /// <summary>Parses the text form; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out Schedule? schedule, out string? error)
    {
        schedule = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return Fail("schedule: the text is empty", out error);
        text = text.Trim();
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            int dot = text.IndexOf('.');
            return dot > 0 && text[0] == 's'
                ? Fail($"schedule: unsupported version '{text[..dot]}' (this build reads '{Prefix[..^1]}')", out error)
                : Fail($"schedule: must start with '{Prefix}'", out error);
        }
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return Fail("schedule: the part after 's1.' is not base64url (A-Z a-z 0-9 - _)", out error);
        }
        if (bytes.Length < 5) return Fail($"schedule: too short ({bytes.Length} bytes); it is truncated", out error);
        var body = bytes.AsSpan(0, bytes.Length - 4);
        uint expectedSum = (uint)(bytes[^4] | bytes[^3] << 8 | bytes[^2] << 16 | bytes[^1] << 24);
        if (Fnv1a(body) != expectedSum) return Fail("schedule: checksum mismatch; the text is corrupted or truncated", out error);

        int pos = 0;
        if (!ReadVarint(body, ref pos, out ulong count) || count > (ulong)body.Length)
            return Fail("schedule: bad choice count", out error);
        var choices = new ScheduleChoice[count];
        for (int i = 0; i < choices.Length; i++)
        {
            if (!ReadVarint(body, ref pos, out ulong head))
                return Fail($"schedule: truncated at choice #{i} of {count}", out error);
            var kind = (ScheduleChoiceKind)(head & 3);
            ulong payload = head >> 2;
            if (payload > int.MaxValue) return Fail($"schedule: choice #{i} is out of range", out error);
            switch (kind)
            {
                case ScheduleChoiceKind.Delivery or ScheduleChoiceKind.SystemDelivery:
                    if (!ReadVarint(body, ref pos, out ulong receiver) || receiver > int.MaxValue)
                        return Fail($"schedule: truncated receiver in choice #{i} of {count}", out error);
                    choices[i] = new ScheduleChoice(kind, (int)payload, (int)receiver, 0);
                    break;
                case ScheduleChoiceKind.Value:
                    choices[i] = ScheduleChoice.ForValue((int)payload);
                    break;
                default:
                    return Fail($"schedule: choice #{i} has unknown kind {(int)kind}", out error);
            }
        }
        if (pos != body.Length) return Fail($"schedule: {body.Length - pos} unexpected trailing bytes", out error);
        schedule = new Schedule(choices, false);
        return true;
    }

    public bool Equals(Schedule? other) => other is not null && _choices.AsSpan().SequenceEqual(other._choices);

    public override bool Equals(object? obj) => Equals(obj as Schedule);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var c in _choices) h.Add(c);
        return h.ToHashCode();
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }

    private static void WriteVarint(List<byte> bytes, ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
    }

    private static bool ReadVarint(ReadOnlySpan<byte> bytes, ref int pos, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= bytes.Length) return false;
            byte b = bytes[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    private static uint Fnv1a(List<byte> bytes) => Fnv1a(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));

    private static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        uint h = 2166136261;
        foreach (byte b in bytes) h = (h ^ b) * 16777619;
        return h;
    }
}

/// <summary>A schedule string that cannot be read. It is bad input: the command line exits with status 2.</summary>
public sealed class ScheduleFormatException(string message) : InputException(message);
