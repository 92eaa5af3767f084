using System.Text;
using Playbooks.Calling.Activity;
using Playbooks.Calling.OrgDirectory;

namespace Playbooks.Calling.Tests.OrgDirectory;

public class ContinuationTokensTests
{
    private static string Token(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Theory]
    [InlineData("\u0001")]
    [InlineData("key\nwith-newline")]
    [InlineData("a/b")]
    [InlineData("a#b")]
    public void Validate_TokenDecodingToAnImpossibleKey_NamesContinuationToken(string rowKey)
    {
        var failure = ContinuationTokens.Validate(new PageRequest(10, Token(rowKey)));

        Assert.Equal("continuationToken", failure!.Field);
    }

    [Fact]
    public void Validate_TokenThisApiIssued_IsAccepted()
    {
        Assert.Null(ContinuationTokens.Validate(new PageRequest(10, ContinuationTokens.Encode("0251234567890123456-abc"))));
    }

    [Theory]
    [InlineData("1|CA0123")]
    [InlineData("3155378975999999999|CA0123")]
    public void ActivityToken_TimeOutsideTheListableRange_IsRefused(string text)
    {
        Assert.False(ActivityStore.TryParseToken(Token(text), out _));
    }

    [Fact]
    public void ActivityToken_RealCallTime_IsAccepted()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.True(ActivityStore.TryParseToken(Token($"{at.UtcTicks}|CA0123"), out var position));
        Assert.Equal(at, position!.Value.At);
    }
}
