namespace Gpuvmsim.TestKit;

public sealed partial class TestProbe
{
    /// <summary>Takes messages until one matches <paramref name="isMessage"/> (which it returns); the others are dropped.</summary>
    public object FishForMessage(Predicate<object> isMessage, TimeSpan? max = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(isMessage);
        var deadline = Driver.Now + Effective(max);
        var skipped = new List<string>();
        while (true)
        {
            var left = deadline - Driver.Now;
            if (left < TimeSpan.Zero || !TryTake(left, out var message, out _))
            {
                Fail($"Timeout while fishing for a message{HintText(hint)}; skipped {skipped.Count}: [{string.Join(", ", skipped)}]");
                return null!;
            }
            if (isMessage(message)) return message;
            skipped.Add(Describe(message));
        }
    }

    /// <summary><see cref="FishForMessage(Predicate{object}, TimeSpan?, string?)"/> for a <typeparamref name="T"/>.</summary>
    public T FishForMessage<T>(Predicate<T>? isMessage = null, TimeSpan? max = null, string? hint = null) =>
        (T)FishForMessage(m => m is T t && (isMessage is null || isMessage(t)), max, hint);

    /// <summary>Takes the next <paramref name="count"/> messages within <paramref name="max"/> of virtual time, in order.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? max = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var deadline = Driver.Now + Effective(max);
        var result = new List<object>(count);
        while (result.Count < count)
        {
            var left = deadline - Driver.Now;
            if (left < TimeSpan.Zero || !TryTake(left, out var message, out _))
            {
                Fail($"Timeout while receiving {count} messages: got {result.Count}: [{string.Join(", ", result.Select(Describe))}]");
                return result;
            }
            result.Add(message);
        }
        return result;
    }

    /// <summary>Takes the next <c>expected.Length</c> messages and checks they equal <paramref name="expected"/> in any order.</summary>
    public IReadOnlyList<T> ExpectMsgAllOf<T>(params T[] expected)
    {
        var received = ReceiveN(expected.Length);
        var missing = expected.ToList();
        foreach (var m in received)
        {
            int index = missing.FindIndex(e => Equals(e, m));
            if (index < 0) Fail($"ExpectMsgAllOf: unexpected {Describe(m)}; still expected [{string.Join(", ", missing.Select(e => Describe(e)))}]");
            else missing.RemoveAt(index);
        }
        return received.Cast<T>().ToList();
    }

    /// <summary>Takes the next message and checks that it equals one of <paramref name="candidates"/>.</summary>
    public T ExpectMsgAnyOf<T>(params T[] candidates)
    {
        if (!TryTake(null, out var message, out _))
            Fail($"Timeout while waiting for any of [{string.Join(", ", candidates.Select(c => Describe(c)))}]");
        if (!candidates.Any(c => Equals(c, message)))
            Fail($"Expected any of [{string.Join(", ", candidates.Select(c => Describe(c)))}] but got {Describe(message)}");
        return (T)message;
    }

    /// <summary>Steps the driver until <paramref name="condition"/> holds, failing after <paramref name="max"/> of virtual time.</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = Effective(max);
        if (!Driver.RunUntil(condition, limit))
            Fail($"Condition not met within {limit} of virtual time{HintText(message)}");
    }

    /// <summary>Takes the next message if one arrives within <paramref name="max"/>; null otherwise (no failure).</summary>
    public object? ReceiveOne(TimeSpan? max = null) => TryTake(max, out var message, out _) ? message : null;
}
