using System.Xml.Linq;
using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.AgentPhones;

public class AgentPhoneVerificationTwimlTests
{
    private static readonly AgentPhoneVerificationUrls Urls = new(TestTwilioOptions.Wrap());
    private static readonly AgentPhoneVerificationTwiml Twiml = new(Urls);
    private static readonly VerificationCodes Codes = new(TestTwilioOptions.Wrap());

    private static readonly AgentPhoneVerification Verification = new()
    {
        OrgId = "org-1", UserId = "rep 1", Number = "+14155552671", Id = "0123456789abcdef0123456789abcdef",
    };

    [Fact]
    public void Ask_Always_GathersSixDigitsToTheSignedDigitsUrlInsideASay()
    {
        // Act
        var xml = XElement.Parse(Twiml.Ask(Verification));

        // Assert
        var gather = Assert.Single(xml.Elements("Gather"));
        Assert.Equal("6", gather.Attribute("numDigits")?.Value);
        Assert.Equal("10", gather.Attribute("timeout")?.Value);
        Assert.Equal("dtmf", gather.Attribute("input")?.Value);
        Assert.Equal("POST", gather.Attribute("method")?.Value);
        Assert.Equal(
            "https://calls.playbooks.example/api/twilio/agent-verification/digits?orgId=org-1&userId=rep%201&verificationId=0123456789abcdef0123456789abcdef",
            gather.Attribute("action")?.Value);
        Assert.Equal(AgentPhoneVerificationTwiml.Prompt, gather.Element("Say")?.Value);
        Assert.Equal(["Gather", "Say", "Hangup"], xml.Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public void Ask_Always_NeverSaysTheCode()
    {
        // Act
        var twiml = Twiml.Ask(Verification, AgentPhoneVerificationTwiml.WrongCode);

        // Assert
        Assert.DoesNotContain(Codes.CodeFor(Verification), twiml);
    }

    [Fact]
    public void Ask_AfterAWrongCode_SaysSoBeforeAskingAgain()
    {
        // Act
        var xml = XElement.Parse(Twiml.Ask(Verification, AgentPhoneVerificationTwiml.WrongCode));

        // Assert
        Assert.Equal(["Say", "Gather", "Say", "Hangup"], xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(AgentPhoneVerificationTwiml.WrongCode, xml.Elements().First().Value);
    }

    [Fact]
    public void Say_Verified_SaysItAndHangsUp()
    {
        // Act
        var xml = XElement.Parse(Twiml.Say(AgentPhoneVerificationTwiml.Verified));

        // Assert
        Assert.Equal(["Say", "Hangup"], xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(AgentPhoneVerificationTwiml.Verified, xml.Element("Say")?.Value);
    }

    [Fact]
    public void Call_Url_CarriesTheVerificationAndConnectionOverrides()
    {
        // Act
        var url = Urls.Call(Verification).AbsoluteUri;

        // Assert
        Assert.StartsWith("https://calls.playbooks.example/api/twilio/agent-verification?orgId=org-1&userId=rep%201&verificationId=", url);
        Assert.Contains("#ct=", url);
    }
}
