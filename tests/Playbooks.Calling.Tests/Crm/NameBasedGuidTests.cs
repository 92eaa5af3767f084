using Playbooks.Calling.Crm.Dynamics;

namespace Playbooks.Calling.Tests.Crm;

public sealed class NameBasedGuidTests
{
    private static readonly Guid DnsNamespace = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    [Fact]
    public void Create_KnownVector_MatchesRfc4122Version5()
    {
        // uuid5(NAMESPACE_DNS, "python.org") from Python's uuid module.
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), NameBasedGuid.Create(DnsNamespace, "python.org"));
    }

    [Fact]
    public void ForCallSid_SameSid_SameIdVersion5()
    {
        var id = NameBasedGuid.ForCallSid("CA0123456789abcdef0123456789abcdef");

        Assert.Equal(id, NameBasedGuid.ForCallSid("CA0123456789abcdef0123456789abcdef"));
        Assert.Equal('5', id.ToString("D")[14]);
        Assert.NotEqual(id, NameBasedGuid.ForCallSid("CA0123456789abcdef0123456789abcdee"));
    }
}
