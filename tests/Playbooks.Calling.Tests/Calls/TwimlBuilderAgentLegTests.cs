using System.Xml.Linq;
using Microsoft.AspNetCore.WebUtilities;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Calls;

/// <summary>The agent leg's press-1 prompt, against the attributes Twilio documents for &lt;Gather&gt;.</summary>
public class TwimlBuilderAgentLegTests
{
    private const string Intent = "sealed.intent";

    private static readonly TwimlBuilder Builder = new(new CallbackUrls(TestTwilioOptions.Wrap()));

    private static List<XElement> Verbs(string twiml)
    {
        var response = XDocument.Parse(twiml).Root!;
        Assert.Equal("Response", response.Name.LocalName);
        return response.Elements().ToList();
    }

    [Fact]
    public void ConfirmAgentLeg_Always_AsksTwiceThenSaysGoodbyeAndHangsUpWithoutDialing()
    {
        // Act
        var verbs = Verbs(Builder.ConfirmAgentLeg(Intent));

        // Assert
        Assert.Equal(["Gather", "Gather", "Say", "Hangup"], verbs.Select(v => v.Name.LocalName));
        Assert.Equal(TwimlBuilder.NotConfirmed, verbs[2].Value);
        Assert.DoesNotContain(verbs.Descendants(), e => e.Name.LocalName is "Dial" or "Number");
    }

    [Fact]
    public void ConfirmAgentLeg_EachGather_WaitsForOneKeyAndPostsItWithTheIntent()
    {
        // Act
        var gathers = Verbs(Builder.ConfirmAgentLeg(Intent)).Take(2).ToList();

        // Assert
        foreach (var gather in gathers)
        {
            Assert.Equal("dtmf", (string?)gather.Attribute("input"));
            Assert.Equal("1", (string?)gather.Attribute("numDigits"));
            Assert.Equal("5", (string?)gather.Attribute("timeout"));
            Assert.Equal("POST", (string?)gather.Attribute("method"));
            Assert.Equal("false", (string?)gather.Attribute("actionOnEmptyResult"));
            var action = new Uri((string)gather.Attribute("action")!);
            Assert.Equal("https", action.Scheme);
            Assert.Equal(CallbackUrls.AgentConfirmPath, action.AbsolutePath);
            Assert.Equal(Intent, QueryHelpers.ParseQuery(action.Query)["intent"].ToString());
            Assert.Equal("", action.Fragment);
            var say = Assert.Single(gather.Elements());
            Assert.Equal("Say", say.Name.LocalName);
            Assert.Contains("Press 1", say.Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Declined_Always_SaysGoodbyeAndHangsUp()
    {
        // Act
        var verbs = Verbs(Builder.Declined());

        // Assert
        Assert.Equal(["Say", "Hangup"], verbs.Select(v => v.Name.LocalName));
    }
}
