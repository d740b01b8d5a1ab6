using System.Reflection;
using System.Text.RegularExpressions;
using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Tests.Domain;

/// <summary>The one catalogue: every code the code base can produce has words in both languages, with the same placeholders.</summary>
public partial class CatalogueTests
{
    private static readonly Catalogue Catalogue = Catalogue.Default;

    /// <summary>Every <see cref="MessageCode"/> declared anywhere in the domain or the Gateway, found by reflection.</summary>
    public static IReadOnlyList<MessageCode> DeclaredCodes { get; } =
        [.. new[] { typeof(Codes).Assembly, typeof(RequestCodes).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(MessageCode))
            .Select(f => (MessageCode)f.GetValue(null)!)];

    public static IEnumerable<object[]> Declared() => DeclaredCodes.Select(c => new object[] { c.Code });

    [Fact]
    public void TheCodeBase_DeclaresCodes_EachOnce()
    {
        Assert.True(DeclaredCodes.Count > 150, $"only {DeclaredCodes.Count} codes found: is reflection looking in the right assemblies?");
        var twice = DeclaredCodes.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, "declared more than once: " + string.Join(", ", twice));
    }

    [Theory]
    [MemberData(nameof(Declared))]
    public void EveryCode_HasEnglishAndSpanish_WithExactlyItsPlaceholders(string code)
    {
        var declared = DeclaredCodes.First(c => c.Code == code).Placeholders.ToHashSet();
        foreach (var language in Catalogue.Languages)
        {
            var used = Catalogue.Placeholders(language, code);
            Assert.True(used is not null, $"{code} has no '{language}' template");
            Assert.True(declared.SetEquals(used!), $"{code} in '{language}' uses {{{string.Join("}, {", used!)}}}, the code declares {{{string.Join("}, {", declared)}}}");
        }
    }

    [Fact]
    public void TheCatalogue_HoldsNoWordsForCodesNobodyProduces()
    {
        var declared = DeclaredCodes.Select(c => c.Code).ToHashSet();
        foreach (var language in Catalogue.Languages)
        {
            var orphans = Catalogue.KnownCodes(language).Where(c => !declared.Contains(c)).ToList();
            Assert.True(orphans.Count == 0, $"'{language}' words for undeclared codes: {string.Join(", ", orphans)}");
        }
    }

    [Theory]
    [MemberData(nameof(Declared))]
    public void SpanishWords_AreNotTheEnglishOnes(string code)
    {
        // Names, symbols and placeholders read the same in both languages; everything else must be translated.
        string[] same = ["venue.subject-named", "format.boolean"];
        if (same.Contains(code)) return;
        var english = Catalogue.Render(new Text { Code = code }, "en");
        var spanish = Catalogue.Render(new Text { Code = code }, "es");
        Assert.NotEqual(english, spanish);
    }

    [Fact]
    public void AMoment_IsWrittenWithTheLanguagesDayAndMonthNames_AtThePlacesTimeWithItsAbbreviation()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/Chicago"];
        var text = Text.Of(Codes.SuggestStartInGap, Arg.Plain("local", "x"), Arg.Plain("zone", "y"));
        Assert.Contains("no existe", Catalogue.Render(text, "es"));
        var at = new LocalDateTime(2026, 10, 28, 19, 0).InZoneStrictly(zone).ToInstant();
        Assert.Equal("Wed 28 Oct 19:00 CDT", Catalogue.FormatMoment(at, "America/Chicago", "en"));
        Assert.StartsWith("mié 28 oct", Catalogue.FormatMoment(at, "America/Chicago", "es"));
        Assert.EndsWith("19:00 CDT", Catalogue.FormatMoment(at, "America/Chicago", "es"));
        // After the fall-back the same wall time is CST: the abbreviation is the zone's at that instant.
        Assert.EndsWith("19:00 CST", Catalogue.FormatMoment(new LocalDateTime(2026, 11, 4, 19, 0).InZoneStrictly(zone).ToInstant(), "America/Chicago", "en"));
    }

    [Fact]
    public void ADate_IsWrittenWithTheLanguagesNames()
    {
        var text = Text.Of(Codes.DateOutsideTour, Arg.Date("date", new LocalDate(2026, 12, 1)), Arg.Date("start", new LocalDate(2026, 10, 22)),
            Arg.Date("end", new LocalDate(2026, 11, 15)));
        Assert.Equal("Tue 1 Dec 2026 is outside the tour (Thu 22 Oct 2026 to Sun 15 Nov 2026).", Catalogue.Render(text, "en"));
        var spanish = Catalogue.Render(text, "es");
        Assert.StartsWith("El mar 1 dic 2026 está fuera de la gira", spanish);
        Assert.Contains("jue 22 oct 2026", spanish);
    }

    [Fact]
    public void AnUnknownLanguage_ReadsAsEnglish() =>
        Assert.Equal(Catalogue.Render(Text.Of(Codes.TourNotFound), "en"), Catalogue.Render(Text.Of(Codes.TourNotFound), "fr"));

    [Fact]
    public void AValueOwnedByAHostGroup_IsShownToIt_AndToTheOrganizer_AndReadsRedactedToEveryoneElse()
    {
        var secret = Arg.Of("a", Text.Of(Codes.EventInCity, Arg.Plain("title", "Lawyer meeting"), Arg.Plain("city", "Denver")))
            .OwnedBy("h_b", Text.Of(Codes.EventOtherInCity, Arg.Plain("city", "Denver")));
        var mine = Arg.Of("b", Text.Of(Codes.EventInCity, Arg.Plain("title", "Rally"), Arg.Plain("city", "Chicago")))
            .OwnedBy("h_a", Text.Of(Codes.EventOtherInCity, Arg.Plain("city", "Chicago")));
        var zone = DateTimeZoneProviders.Tzdb["America/Denver"];
        var t0 = new LocalDateTime(2026, 10, 28, 19, 0).InZoneStrictly(zone);
        var text = Text.Of(Codes.ConflictDoubleBooked, secret, Arg.Moment("aStart", t0), Arg.Moment("aEnd", t0.PlusHours(2)), mine, Arg.Moment("bStart", t0), Arg.Moment("bEnd", t0.PlusHours(1)));

        Assert.Contains("Lawyer meeting", Catalogue.Render(text, "en", Audience.Everyone));
        Assert.Contains("Lawyer meeting", Catalogue.Render(text, "es", Audience.HostGroup("h_b")));
        var other = Catalogue.Render(text, "en", Audience.HostGroup("h_a"));
        Assert.DoesNotContain("Lawyer", other);
        Assert.Contains("another event in Denver (Wed 28 Oct 19:00 MDT–Wed 28 Oct 21:00 MDT)", other);
        Assert.Contains("'Rally' in Chicago", other);
        Assert.Contains("otro evento en Denver", Catalogue.Render(text, "es", Audience.HostGroup("h_a")));
        Assert.DoesNotContain("Lawyer", Catalogue.Render(text, "es", Audience.Public));
    }

    [Fact]
    public void AValueForTheOrganizerOnly_WithoutARedaction_NeverFallsBackToTheValue()
    {
        var text = Text.Of(Codes.EventTitled, Arg.Plain("title", "hotel room 412") with { Owner = "" });
        Assert.Equal("'hotel room 412'", Catalogue.Render(text, "en", Audience.Everyone));
        Assert.Equal("'…'", Catalogue.Render(text, "en", Audience.HostGroup("h_a")));
    }

    [Fact]
    public void BuildingAMessage_WithoutItsValues_FailsWhereItIsBuilt() =>
        Assert.Throws<ArgumentException>(() => Text.Of(Codes.FieldRequired));

    [Theory]
    [InlineData("es", "es")]
    [InlineData("es-MX,es;q=0.9,en;q=0.8", "es")]
    [InlineData("en-US,en;q=0.9,es;q=0.8", "en")]
    [InlineData("en;q=0.2, es;q=0.8", "es")]
    [InlineData("es;q=0, en;q=0.1", "en")]
    [InlineData("fr-FR, es;q=0.5", "es")]
    [InlineData("fr, de", "en")]
    [InlineData("*", "en")]
    [InlineData("", "en")]
    [InlineData("es;q=garbage", "en")]
    public void TheRequestLanguage_FollowsAcceptLanguageQualities(string header, string expected) =>
        Assert.Equal(expected, RequestLanguage.FromAcceptLanguage(header));

    /// <summary>
    /// Rules and handlers build messages from codes, the planner included; a string message anywhere fails here (the
    /// string overloads refuse to compile too, and this catches a new one).
    /// </summary>
    [Fact]
    public void NoMessage_IsBuiltAsAnEnglishString()
    {
        var root = RepositoryRoot();
        var offenders = new List<string>();
        foreach (var folder in new[] { "Grains", "Gateway" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/obj/") || relative.Contains("/bin/")) continue;
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                    if (StringMessage().IsMatch(lines[i])) offenders.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
            }
        Assert.True(offenders.Count == 0, "messages built as strings:\n" + string.Join("\n", offenders));
    }

    // e.Add(field, "…"), Outcome<T>.NotFound("…"), Outcomes.Problem(404, "Not found", "…"), Invalid("x", "…"), and the
    // planner's answers given as sentences: Message = "…", Reason = $"…", Notes = ["…"].
    [GeneratedRegex(@"(\b(e|errors)|ValidationErrors\(\))\.Add\([^()]*,\s*\$?""|Outcome<[^>]+>\.(NotFound|Forbidden|Conflict|Stale)\(\$?""|Outcome<[^>]+>\.(Invalid|Limit)\(""[^""]*"",\s*\$?""|Outcomes\.Problem\(\d+,\s*""|\.Invalid\(""[^""]*"",\s*\$?""|\b(Message|MessageEs|Reason|ReasonEs|StopMessage|StopMessageEs|Failure)\s*=\s*\$?""|\bNotes(Es)?\s*=\s*\[\s*\$?""")]
    private static partial Regex StringMessage();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TourPlanner.sln"))) return dir.FullName;
        throw new InvalidOperationException("TourPlanner.sln not found above " + AppContext.BaseDirectory);
    }
}
