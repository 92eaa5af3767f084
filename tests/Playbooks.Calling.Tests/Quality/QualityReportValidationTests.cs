using Playbooks.Calling.Quality;

namespace Playbooks.Calling.Tests.Quality;

public class QualityReportValidationTests
{
    private const string CallSid = "CA0123456789abcdef0123456789abcdef";

    private static QualityReportInput Valid => new(CallSid, 3);

    [Fact]
    public void Validate_FullReport_NormalisesIssuesEdgeAndComment()
    {
        // Arrange
        var input = Valid with
        {
            Issues = ["Echo", "one-way-audio", "echo"],
            Comment = "  crackles  ",
            Edge = "us2",
            Samples = [new CallSample { Rtt = 180, Jitter = 12, Mos = 4.2, PacketsLost = 0 }],
        };

        // Act
        var result = QualityReportValidation.Validate(input);

        // Assert
        Assert.Equal(["echo", "one-way-audio"], result.Value!.Issues);
        Assert.Equal("crackles", result.Value.Comment);
        Assert.Equal("umatilla", result.Value.Edge);
        Assert.Single(result.Value.Samples);
    }

    [Fact]
    public void Validate_EveryKnownIssue_IsAccepted()
    {
        var result = QualityReportValidation.Validate(Valid with { Issues = QualityReportValidation.KnownIssues });

        Assert.Equal(6, result.Value!.Issues.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(null)]
    public void Validate_ScoreOutOfRange_NamesScore(int? score)
    {
        var result = QualityReportValidation.Validate(Valid with { Score = score });

        Assert.Equal("score", result.Failure!.Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("CA123")]
    [InlineData("PN0123456789abcdef0123456789abcdef")]
    [InlineData("CA0123456789abcdef0123456789abcdeg")]
    public void Validate_NotACallSid_NamesCallSid(string? callSid)
    {
        var result = QualityReportValidation.Validate(Valid with { CallSid = callSid });

        Assert.Equal("callSid", result.Failure!.Field);
    }

    [Fact]
    public void Validate_SixtySamples_IsAcceptedButSixtyOneIsNot()
    {
        var sixty = Enumerable.Repeat(new CallSample { Rtt = 100 }, 60).ToList();

        var accepted = QualityReportValidation.Validate(Valid with { Samples = sixty });
        var refused = QualityReportValidation.Validate(Valid with { Samples = [.. sixty, new CallSample()] });

        Assert.True(accepted.IsSuccess);
        Assert.Equal("samples", refused.Failure!.Field);
    }

    [Theory]
    [InlineData("mos", 0.5)]
    [InlineData("mos", 5.1)]
    [InlineData("packetsLostFraction", 101)]
    [InlineData("jitter", -1)]
    [InlineData("rtt", -0.1)]
    public void Validate_ImpossibleMeasurement_NamesTheSampleField(string name, double value)
    {
        var sample = name switch
        {
            "mos" => new CallSample { Mos = value },
            "packetsLostFraction" => new CallSample { PacketsLostFraction = value },
            "jitter" => new CallSample { Jitter = value },
            _ => new CallSample { Rtt = value },
        };

        var result = QualityReportValidation.Validate(Valid with { Samples = [new CallSample(), sample] });

        Assert.Equal($"samples[1].{name}", result.Failure!.Field);
    }

    [Fact]
    public void Validate_UnknownIssue_NamesIssues()
    {
        var result = QualityReportValidation.Validate(Valid with { Issues = ["static"] });

        Assert.Equal(("issues", "unknown-issue"), (result.Failure!.Field, result.Failure.Code));
    }

    [Fact]
    public void Validate_OversizedComment_NamesComment()
    {
        var result = QualityReportValidation.Validate(Valid with { Comment = new string('a', 1001) });

        Assert.Equal("comment", result.Failure!.Field);
    }

    [Fact]
    public void Validate_UnknownEdge_NamesEdge()
    {
        var result = QualityReportValidation.Validate(Valid with { Edge = "atlantis" });

        Assert.Equal("edge", result.Failure!.Field);
    }
}
