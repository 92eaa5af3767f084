using System.Xml.Linq;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Calls;
using Playbooks.Calling.People;
using Playbooks.Functions.AgentPhones;
using Playbooks.Functions.Http;
using Playbooks.Functions.Tests.Webhooks;
using Twilio.Clients;

namespace Playbooks.Functions.Tests.AgentPhones;

public class AgentPhoneVerificationFunctionsTests
{
    private const string Query = "?orgId=org-1&userId=rep-1&verificationId=abc";

    private static readonly TableServiceClient Unused = new("UseDevelopmentStorage=true");

    private static readonly Dictionary<string, string> Form = new() { ["CallSid"] = "CA00000000000000000000000000000001", ["Digits"] = "123456" };

    private static readonly AgentPhoneVerification Verification = new() { OrgId = "org-1", UserId = "rep-1", Number = "+14155552671", Id = "abc" };

    private readonly Mock<AgentPhoneVerificationService> _verifications = new(MockBehavior.Strict,
        new Mock<AgentPhoneVerificationStore>(Unused).Object, new Mock<PersonStore>(Unused).Object,
        new Mock<AuditService>(MockBehavior.Strict, new Mock<AuditStore>(Unused).Object, TimeProvider.System, null!).Object,
        new VerificationCodes(TwilioRequests.Options), new AgentPhoneVerificationUrls(TwilioRequests.Options),
        new TwilioCallGateway(new Mock<ITwilioRestClient>().Object, NullLogger<TwilioCallGateway>.Instance),
        TwilioRequests.Options, TimeProvider.System, NullLogger<AgentPhoneVerificationService>.Instance);

    private readonly AgentPhoneVerificationTwiml _twiml = new(new AgentPhoneVerificationUrls(TwilioRequests.Options));

    private static XElement Twiml(IActionResult result) => XElement.Parse(Assert.IsType<ContentResult>(result).Content!);

    [Fact]
    public async Task Digits_RightCode_SaysVerified()
    {
        // Arrange
        _verifications.Setup(v => v.CheckDigitsAsync("org-1", "rep-1", "abc", "123456", It.IsAny<CancellationToken>()))
            .ReturnsAsync((DigitsOutcome.Verified, Verification));

        // Act
        var result = await new AgentPhoneVerificationDigitsFunction(TwilioRequests.Signature, _verifications.Object, _twiml)
            .Run(TwilioRequests.Post(AgentPhoneVerificationUrls.DigitsPath + Query, Form), CancellationToken.None);

        // Assert
        Assert.Equal(AgentPhoneVerificationTwiml.Verified, Twiml(result).Element("Say")?.Value);
    }

    [Fact]
    public async Task Digits_WrongCode_SaysSoAndAsksAgain()
    {
        // Arrange
        _verifications.Setup(v => v.CheckDigitsAsync("org-1", "rep-1", "abc", "123456", It.IsAny<CancellationToken>()))
            .ReturnsAsync((DigitsOutcome.WrongCode, Verification));

        // Act
        var result = await new AgentPhoneVerificationDigitsFunction(TwilioRequests.Signature, _verifications.Object, _twiml)
            .Run(TwilioRequests.Post(AgentPhoneVerificationUrls.DigitsPath + Query, Form), CancellationToken.None);

        // Assert
        Assert.Equal(["Say", "Gather", "Say", "Hangup"], Twiml(result).Elements().Select(e => e.Name.LocalName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("forged")]
    public async Task Digits_MissingOrForgedSignature_Returns403WithoutChecking(string signature)
    {
        // Act
        var result = await new AgentPhoneVerificationDigitsFunction(TwilioRequests.Signature, _verifications.Object, _twiml)
            .Run(TwilioRequests.Post(AgentPhoneVerificationUrls.DigitsPath + Query, Form, signature), CancellationToken.None);

        // Assert
        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((403, "twilio-signature-invalid"), (problem.Status, problem.Code));
    }

    [Fact]
    public async Task Call_SignedWithoutTheVerificationQuery_Returns403()
    {
        // Act
        var result = await new AgentPhoneVerificationCallFunction(TwilioRequests.Signature, _verifications.Object, _twiml)
            .Run(TwilioRequests.Post(AgentPhoneVerificationUrls.CallPath + "?orgId=org-1", Form), CancellationToken.None);

        // Assert
        Assert.Equal(403, Assert.IsType<ProblemActionResult>(result).Problem.Status);
    }

    [Fact]
    public async Task Call_VerificationNoLongerOpen_SaysItExpired()
    {
        // Arrange
        _verifications.Setup(v => v.OpenAsync("org-1", "rep-1", "abc", It.IsAny<CancellationToken>())).ReturnsAsync((AgentPhoneVerification?)null);

        // Act
        var result = await new AgentPhoneVerificationCallFunction(TwilioRequests.Signature, _verifications.Object, _twiml)
            .Run(TwilioRequests.Post(AgentPhoneVerificationUrls.CallPath + Query, Form), CancellationToken.None);

        // Assert
        Assert.Equal([AgentPhoneVerificationTwiml.Expired], Twiml(result).Elements("Say").Select(e => e.Value));
    }
}
