using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.DevServer.TwilioSimulator;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

public sealed class PhoneBehaviourTests
{
    public static TheoryData<string> MagicNumbers =>
    [
        PhoneBehaviour.Answers, PhoneBehaviour.Busy, PhoneBehaviour.NoAnswer, PhoneBehaviour.Fails,
        PhoneBehaviour.HangsUpAfter(5), PhoneBehaviour.HangsUpAfter(30), PhoneBehaviour.HangsUpAfter(99),
    ];

    [Theory]
    [MemberData(nameof(MagicNumbers))]
    public void MagicNumber_PassesOurDestinationPolicy(string number)
    {
        var org = new OrgSettings { OrgId = "acme-demo", Name = "Acme" };

        var checkedNumber = new DestinationPolicy().Check(number, org);

        Assert.True(checkedNumber.IsSuccess, checkedNumber.Failure?.Detail);
        Assert.Equal(number, checkedNumber.Value);
    }

    [Theory]
    [InlineData("+12015550100", "Answers", null)]
    [InlineData("+14155550123", "Answers", null)]
    [InlineData("+15005550001", "Answers", null)]
    [InlineData("+12015550101", "Busy", null)]
    [InlineData("+12015550102", "NoAnswer", null)]
    [InlineData("+12015550103", "Fails", null)]
    [InlineData("+12015550105", "Answers", 5)]
    [InlineData("+12015550142", "Answers", 42)]
    [InlineData("+12015550199", "Answers", 99)]
    public void For_Number_GivesTheDocumentedBehaviour(string number, string outcome, int? hangsUpAfter)
    {
        Assert.Equal(new PhoneBehaviour(Enum.Parse<PhoneOutcome>(outcome), hangsUpAfter), PhoneBehaviour.For(number));
    }

    [Fact]
    public void For_VoicemailNumber_AnswersButNeverPressesAKey()
    {
        var behaviour = PhoneBehaviour.For(PhoneBehaviour.Voicemail);

        Assert.Equal((PhoneOutcome.Answers, false), (behaviour.Outcome, behaviour.PressesOneWhenAsked));
        Assert.True(PhoneBehaviour.For("+12015550100").PressesOneWhenAsked);
    }
}
