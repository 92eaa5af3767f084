using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmWhoCheckTests
{
    [Theory]
    [InlineData("+14155550100", "+14155550100")]
    [InlineData("+14155550100", "(415) 555-0100")]
    [InlineData("+14155550100", "415.555.0100")]
    [InlineData("+14155550100", "+1 415 555 0100")]
    [InlineData("+442071838750", "020 7183 8750")]
    [InlineData("+442071838750", "+44 (0)20 7183 8750")]
    public void ListsNumber_SameNumberWrittenDifferently_True(string dialed, string recordPhone) =>
        Assert.True(CrmWhoCheck.ListsNumber(dialed, [null, "", recordPhone]));

    [Theory]
    [InlineData("+14155550100", "+14155550101")]
    [InlineData("+14155550100", "+444155550100")]
    [InlineData("+442071838750", "+1 207 183 8750")]
    [InlineData("+14155550100", "call me maybe")]
    [InlineData("+14155550100", "")]
    [InlineData("", "+14155550100")]
    [InlineData("4155550100", "4155550100")]
    public void ListsNumber_OtherOrUnreadableNumber_False(string dialed, string recordPhone) =>
        Assert.False(CrmWhoCheck.ListsNumber(dialed, [recordPhone]));

    [Fact]
    public void ListsNumber_RecordWithoutPhones_False() =>
        Assert.False(CrmWhoCheck.ListsNumber("+14155550100", [null, null, null, null]));
}
