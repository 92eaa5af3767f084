using System.Text;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests.Storage;

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
    [InlineData("~list~123~CA0123")]
    [InlineData("~list~00000000000000000x1~CA0123")]
    [InlineData("~list~0000000000000000001~")]
    [InlineData("CA0123")]
    public void ActivityToken_NotAnIndexKey_IsRefused(string text)
    {
        Assert.False(ActivityStore.IsListToken(Token(text)));
    }

    [Fact]
    public void ActivityToken_IndexKeyOfARealCall_IsAccepted()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.True(ActivityStore.IsListToken(Token(ActivityListEntry.KeyOf(at, "CA0123"))));
    }
}
