using Gpuvmsim.Domain.Designs;

namespace Gpuvmsim.Tests.Domain.Designs;

/// <summary>Designs and their knobs: derivation, value spellings, and errors that list what is valid.</summary>
public sealed class DesignSpec
{
    [Fact]
    public void V2_fixed_differs_from_v2_exactly_in_the_bug_knobs()
    {
        Assert.Equal(
            ["cleanup-put-without-obj-lock=off", "job-run-ret-shadowing=off", "killed-job-leaks=off", "map-locks-only-new-bo=off",
             "prealloc-null-unchecked=off", "remap-closes-before-link=off", "remap-marks-pieces-mapped=off", "run-bo-unmap-uninit-ret=off",
             "unmap-over-unmap=off", "unmap-prealloc-vmas=2"],
            DesignCatalog.V2Fixed.DiffFrom(DesignCatalog.V2).Order(StringComparer.Ordinal));
        Assert.Equal(["lock-order=vm-lock-first"], DesignCatalog.VmLockFirst.DiffFrom(DesignCatalog.V2Fixed));
    }

    [Theory]
    [InlineData("job-run-ret-shadowing", "1", "on")]
    [InlineData("job-run-ret-shadowing", "No", "off")]
    [InlineData("unmap-prealloc-vmas", "1", "1")]
    [InlineData("unmap-prealloc-vmas", " 2 ", "2")]
    [InlineData("lock-order", "OBJ-LOCK-FIRST", "obj-lock-first")]
    public void Knob_values_are_normalized_by_the_kind_of_knob(string knob, string given, string stored)
    {
        var design = DesignCatalog.V2Fixed.With("custom", [new(knob, given)]);
        Assert.Equal(stored, design.Values[knob]);
    }

    [Fact]
    public void Unknown_designs_knobs_and_values_are_errors_listing_the_valid_ones()
    {
        Assert.Equal("unknown design 'v3'; valid designs: v2, v2-fixed, vm-lock-first, obj-lock-first",
            Assert.ThrowsAny<InputException>(() => DesignCatalog.Find("v3")).Message);
        Assert.StartsWith("unknown knob 'ret-shadow'; valid knobs: job-run-ret-shadowing, run-bo-unmap-uninit-ret,",
            Assert.ThrowsAny<InputException>(() => DesignCatalog.V2.With("x", [new("ret-shadow", "on")])).Message);
        Assert.Equal("knob 'unmap-prealloc-vmas': value 'on' is not one of 1, 2",
            Assert.ThrowsAny<InputException>(() => DesignCatalog.V2.With("x", [new("unmap-prealloc-vmas", "on")])).Message);
    }
}
