using Xunit.Abstractions;
using Xunit.Sdk;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>
/// A fact of a contract suite (<see cref="JournalSpec"/>, <see cref="SnapshotStoreSpec"/>) run unchanged on every
/// store. When the concrete test class carries <see cref="RequiresPostgresAttribute"/> and <c>GPUVMSIM_PG</c> is
/// not set, the test is reported as skipped with the reason — never silently passed.
/// </summary>
[XunitTestCaseDiscoverer("Gpuvmsim.Tests.Persistence.StoreFactDiscoverer", "Gpuvmsim.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Marks a test class whose store is the PostgreSQL server named by <c>GPUVMSIM_PG</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>A standalone PostgreSQL fact: skipped, with the reason, when <c>GPUVMSIM_PG</c> is not set.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.ConnectionString is null)
            Skip = PostgresServer.SkipReason;
    }
}

/// <summary>Finds <see cref="StoreFactAttribute"/> tests and decides, per concrete class, whether the store is there.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var needsPostgres = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
        var skip = needsPostgres && PostgresServer.ConnectionString is null ? PostgresServer.SkipReason : null;
        yield return new StoreTestCase(diagnostics, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip);
    }
}

/// <summary>An xunit test case whose skip reason is decided at discovery.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    private string? _skip;

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase() { }

    public StoreTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod, string? skip)
        : base(diagnostics, display, displayOptions, testMethod)
    {
        _skip = skip;
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) => _skip ?? base.GetSkipReason(factAttribute);

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("StoreSkip", _skip);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        // Before the base: it computes the skip reason from what is known when it finishes.
        _skip = data.GetValue<string?>("StoreSkip");
        base.Deserialize(data);
    }
}
