using Microsoft.Extensions.Time.Testing;
using Playbooks.Calling.Greetings;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Greetings;

public class GreetingLinksTests
{
    private static readonly GreetingLinkTarget Target = new("org-1", "rep-1", "0123456789abcdef0123456789abcdef");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private GreetingLinks Links(string authToken = TestTwilioOptions.AuthToken) =>
        new(TestTwilioOptions.Wrap(o => o.AuthToken = authToken), _time);

    private static string TokenOf(Uri link) => link.AbsolutePath[GreetingLinks.PathPrefix.Length..];

    [Fact]
    public void Create_ThenOpen_NamesTheSameGreetingUnderOurPublicUrl()
    {
        var link = Links().Create(Target);

        var opened = Links().Open(TokenOf(link));

        Assert.Equal(Target, opened.Value);
        Assert.StartsWith(TestTwilioOptions.PublicBaseUrl + GreetingLinks.PathPrefix, link.AbsoluteUri);
        Assert.DoesNotContain("?", link.AbsoluteUri);
    }

    [Fact]
    public void Open_AfterTheLifetime_Returns403()
    {
        var token = TokenOf(Links().Create(Target));
        _time.Advance(GreetingLinks.Lifetime + TimeSpan.FromSeconds(1));

        var opened = Links().Open(token);

        Assert.Equal(GreetingLinks.Invalid, opened.Failure?.Code);
    }

    [Fact]
    public void Open_PayloadSwappedForAnotherGreetings_Returns403()
    {
        var mine = TokenOf(Links().Create(Target));
        var theirs = TokenOf(Links().Create(Target with { UserId = "rep-2" }));

        var opened = Links().Open(theirs.Split('.')[0] + "." + mine.Split('.')[1]);

        Assert.Equal(GreetingLinks.Invalid, opened.Failure?.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData("a.b.c")]
    [InlineData("!!!.???")]
    public void Open_Malformed_Returns403(string? token)
    {
        Assert.Equal(GreetingLinks.Invalid, Links().Open(token).Failure?.Code);
    }

    [Fact]
    public void Open_SignedWithAnotherAuthToken_Returns403()
    {
        var token = TokenOf(Links("another-account-token").Create(Target));

        Assert.Equal(GreetingLinks.Invalid, Links().Open(token).Failure?.Code);
    }
}
