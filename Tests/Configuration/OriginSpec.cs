using Gpuvmsim.Configuration;

namespace Gpuvmsim.Tests.Configuration;

/// <summary>Every value and field knows its file, line and column, so later readers can point at it.</summary>
public sealed class OriginSpec
{
    private static readonly Config Scenario = ConfigurationFactory.ParseString("""
        bos {
          X { size = 4K }
          Y.size = 8K
        }
        bos.X.flags = [a, b]
        """, "scenario.conf");

    [Fact]
    public void Field_origin_is_where_its_key_was_first_written_when_objects_merge()
    {
        var field = Scenario.GetObject("bos").Fields.Single(f => f.Key == "Y");
        Assert.Equal(new ConfigOrigin("scenario.conf", 3, 3), field.Origin);
        Assert.Equal("scenario.conf:3:3", Scenario.GetOrigin("bos.Y").ToString());
        Assert.Equal(new ConfigOrigin("scenario.conf", 2, 3), Scenario.GetOrigin("bos.X"));
    }

    [Fact]
    public void Value_origin_is_where_the_value_starts()
    {
        Assert.Equal(new ConfigOrigin("scenario.conf", 2, 14), Scenario.GetValue("bos.X.size").Origin);
        var flags = (HoconArray)Scenario.GetValue("bos.X.flags");
        Assert.Equal(new ConfigOrigin("scenario.conf", 5, 15), flags.Origin);
        Assert.Equal(new ConfigOrigin("scenario.conf", 5, 19), flags.Items[1].Origin);
    }

    [Fact]
    public void Origins_inside_dotted_keys_point_at_each_segment()
    {
        Assert.Equal(new ConfigOrigin("scenario.conf", 5, 7), Scenario.GetOrigin("bos.X.flags"));
    }

    [Fact]
    public void Included_values_carry_the_included_file_name()
    {
        string dir = Directory.CreateTempSubdirectory("hocon-origin-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "part.conf"), "\n  value = 1\n");
            File.WriteAllText(Path.Combine(dir, "main.conf"), "include \"part.conf\"\n");
            var config = ConfigurationFactory.ParseFile(Path.Combine(dir, "main.conf"));
            Assert.Equal(new ConfigOrigin(Path.Combine(dir, "part.conf"), 2, 3), config.GetOrigin("value"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Unknown_entry_can_be_reported_at_its_field_position()
    {
        var field = Scenario.GetObject("bos").Fields.First(f => f.Key == "X");
        var error = new InputException($"{field.Origin}: unknown BO '{field.Key}'");
        Assert.Equal("scenario.conf:2:3: unknown BO 'X'", error.Message);
    }
}
