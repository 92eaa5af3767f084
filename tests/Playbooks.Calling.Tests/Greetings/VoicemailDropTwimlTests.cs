using System.Xml.Linq;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Greetings;

public class VoicemailDropTwimlTests
{
    private static readonly TwimlBuilder Builder = new(new CallbackUrls(TestTwilioOptions.Wrap()));

    [Fact]
    public void VoicemailDrop_GreetingLink_PlaysItOnceThenHangsUp()
    {
        // Arrange
        var link = new Uri("https://calls.playbooks.example/api/twilio/greetings/abc.def");

        // Act
        var response = XDocument.Parse(Builder.VoicemailDrop(link)).Root!;

        // Assert: <Play loop="1">url</Play><Hangup/>, nothing else (no <Dial>, no <Say>)
        Assert.Equal("Response", response.Name.LocalName);
        Assert.Equal(["Play", "Hangup"], response.Elements().Select(e => e.Name.LocalName));
        var play = response.Elements().First();
        Assert.Equal(link.AbsoluteUri, play.Value);
        Assert.Equal("1", (string?)play.Attribute("loop"));
    }
}
