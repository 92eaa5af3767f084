using System.Text.Json;
using System.Text.RegularExpressions;

namespace Playbooks.Infra.Tests.Arm;

/// <summary>
/// One template of the compiled infra/azuredeploy.json: the main template or a module's nested template.
/// Resolves the simple expression chains bicep emits (parameters, variables, module outputs) so tests can
/// ask where a value really comes from.
/// </summary>
public sealed partial class ArmTemplate
{
    private const string DeploymentType = "Microsoft.Resources/deployments";

    private static readonly Lazy<ArmTemplate> CompiledTemplate = new(() =>
    {
        using var stream = File.OpenRead(RepoFiles.PathOf("infra", "azuredeploy.json"));
        return new ArmTemplate(JsonDocument.Parse(stream).RootElement.Clone(), parent: null, deployment: null);
    });

    private readonly JsonElement? deployment;

    private ArmTemplate(JsonElement root, ArmTemplate? parent, JsonElement? deployment)
    {
        Root = root;
        Parent = parent;
        this.deployment = deployment;
    }

    /// <summary>The committed compiled template (infra/azuredeploy.json).</summary>
    public static ArmTemplate Compiled => CompiledTemplate.Value;

    public JsonElement Root { get; }

    public ArmTemplate? Parent { get; }

    /// <summary>The module's deployment name in its parent; empty for the main template.</summary>
    public string Name => deployment is { } d ? d.GetProperty("name").GetString()! : "";

    public IEnumerable<JsonElement> AllResources => Root.GetProperty("resources").EnumerateArray();

    /// <summary>This template's own resources, without module deployments.</summary>
    public IEnumerable<JsonElement> Resources => AllResources.Where(r => TypeOf(r) != DeploymentType);

    public IEnumerable<ArmTemplate> Modules => AllResources
        .Where(r => TypeOf(r) == DeploymentType)
        .Select(r => new ArmTemplate(r.GetProperty("properties").GetProperty("template"), this, r));

    /// <summary>This template and every module below it.</summary>
    public IEnumerable<ArmTemplate> SelfAndDescendants => Modules.SelectMany(m => m.SelfAndDescendants).Prepend(this);

    public ArmTemplate Module(string name) => Modules.Single(m => m.Name == name);

    public IEnumerable<JsonElement> ResourcesOfType(string type) => Resources.Where(r => TypeOf(r) == type);

    public JsonElement Resource(string type) => ResourcesOfType(type).Single();

    public IEnumerable<JsonProperty> Parameters => Properties("parameters");

    public IEnumerable<JsonProperty> Outputs => Properties("outputs");

    public IReadOnlySet<string> SecureParameterNames => Parameters
        .Where(p => p.Value.GetProperty("type").GetString() is "securestring" or "secureObject")
        .Select(p => p.Name)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public JsonElement Variable(string name) => Root.GetProperty("variables").GetProperty(name);

    public static string TypeOf(JsonElement resource) => resource.GetProperty("type").GetString()!;

    /// <summary>
    /// Follows a value through whole-value parameter, variable and module-output references to where it is
    /// computed. A parameter of the main template has no further source and is returned as its reference.
    /// </summary>
    public Resolved Resolve(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return new Resolved(this, value);
        }

        var text = value.GetString()!;
        if (ParameterReference().Match(text) is { Success: true } parameter)
        {
            var name = parameter.Groups[1].Value;
            if (deployment is { } d
                && d.GetProperty("properties").GetProperty("parameters").TryGetProperty(name, out var passed))
            {
                return Parent!.Resolve(passed.GetProperty("value"));
            }

            var declared = Root.GetProperty("parameters").GetProperty(name);
            return Parent is not null && declared.TryGetProperty("defaultValue", out var fallback)
                ? Resolve(fallback)
                : new Resolved(this, value);
        }

        if (VariableReference().Match(text) is { Success: true } variable)
        {
            return Resolve(Variable(variable.Groups[1].Value));
        }

        if (ModuleOutputReference().Match(text) is { Success: true } output)
        {
            var module = Module(output.Groups[1].Value);
            return module.Resolve(module.Root.GetProperty("outputs").GetProperty(output.Groups[2].Value).GetProperty("value"));
        }

        return new Resolved(this, value);
    }

    /// <summary>Where the value of one of this template's parameters comes from.</summary>
    public Resolved ResolveParameter(string name) =>
        Resolve(JsonDocument.Parse(JsonSerializer.Serialize($"[parameters('{name}')]")).RootElement);

    private IEnumerable<JsonProperty> Properties(string section) =>
        Root.TryGetProperty(section, out var items) ? items.EnumerateObject() : [];

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\[reference\(resourceId\('Microsoft\.Resources/deployments', '([^']+)'\), '[^']+'\)\.outputs\.([^.]+)\.value\]$")]
    private static partial Regex ModuleOutputReference();
}

/// <summary>A resolved value and the template it was found in.</summary>
public sealed record Resolved(ArmTemplate Template, JsonElement Value)
{
    public string Text => Value.ValueKind == JsonValueKind.String ? Value.GetString()! : Value.GetRawText();

    /// <summary>True when the value is a secure parameter of the template it ended in.</summary>
    public bool IsSecureParameter =>
        Template.SecureParameterNames.Any(name => Text.Contains($"parameters('{name}')", StringComparison.OrdinalIgnoreCase));

    public override string ToString() => $"{Text} (in {(Template.Name.Length == 0 ? "main" : Template.Name)})";
}
