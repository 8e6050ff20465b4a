using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Tests.Runtime.Scheduling;

public sealed class ScheduleSpec
{
    private static readonly Schedule Sample = new([
        ScheduleChoice.Delivery(0, 5, false),
        ScheduleChoice.Delivery(5, 6, true),
        ScheduleChoice.ForValue(3),
        ScheduleChoice.Delivery(123456, 7, false),
    ]);

    [Fact]
    public void A_schedule_round_trips_through_its_compact_versioned_text()
    {
        string text = Sample.ToString();
        Assert.StartsWith("s1.", text);
        Assert.Matches("^s1\\.[A-Za-z0-9_-]+$", text);
        Assert.Equal(Sample, Schedule.Parse(text));
        Assert.Equal(Schedule.Empty, Schedule.Parse(Schedule.Empty.ToString()));
    }

    [Fact]
    public void A_long_schedule_takes_about_two_bytes_per_delivery()
    {
        var schedule = new Schedule(Enumerable.Range(0, 10_000).Select(i => ScheduleChoice.Delivery(i % 30, (i + 1) % 30, false)));
        string text = schedule.ToString();
        Assert.InRange(text.Length, 10_000, 30_000);
        Assert.Equal(schedule, Schedule.Parse(text));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("x1.AAAA", "must start with 's1.'")]
    [InlineData("s2.AAAA", "unsupported version 's2'")]
    [InlineData("s1.@@@", "not base64url")]
    [InlineData("s1.AA", "truncated")]
    public void Malformed_schedule_text_is_a_clear_input_error(string text, string expected)
    {
        var e = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.IsAssignableFrom<InputException>(e);
    }

    [Fact]
    public void A_corrupted_schedule_string_fails_its_checksum()
    {
        string text = Sample.ToString();
        char flipped = text[5] == 'A' ? 'B' : 'A';
        string corrupted = text[..5] + flipped + text[6..];
        var e = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse(corrupted));
        Assert.Contains("corrupted", e.Message);
        Assert.False(Schedule.TryParse(text[..^2], out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Take_gives_a_prefix()
    {
        Assert.Equal(2, Sample.Take(2).Count);
        Assert.Equal(Sample[1], Sample.Take(2)[1]);
    }
}
