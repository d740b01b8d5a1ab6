using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>
/// The API answers in the caller's language: <c>?lang=</c>, else <c>Accept-Language</c> (q-values honoured), else
/// English. Titles, details, field errors and notes are worded from the one catalogue and each carries a stable code.
/// </summary>
[Collection(GatewayCollection.Name)]
public class LanguageTests(GatewayFactory factory)
{
    private sealed record Answer(HttpStatusCode Status, JsonElement Body, string Text, HttpResponseMessage Response);

    private static async Task<Answer> SendAsync(HttpClient client, HttpMethod method, string url, string? token = null, object? body = null,
        string? language = "es", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (language is not null) request.Headers.TryAddWithoutValidation("Accept-Language", language);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is string raw) request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body, options: Http.JsonOptions);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone(), text, response);
    }

    /// <summary>A problem in Spanish: its status, problem+json, its code, and the Spanish title and detail it must carry.</summary>
    private static JsonElement AssertSpanishProblem(Answer a, HttpStatusCode status, string code, string title, string detailPart)
    {
        Assert.True(a.Status == status, $"expected {(int)status}, got {(int)a.Status}: {a.Text}");
        Assert.Equal("application/problem+json", a.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, a.Body.Str("code"));
        Assert.Equal(title, a.Body.Str("title"));
        Assert.Contains(detailPart, a.Body.Str("detail"));
        Assert.Contains("es", a.Response.Content.Headers.ContentLanguage);
        return a.Body;
    }

    /// <summary>The field's first message contains <paramref name="part"/>, and errorDetails names the field with <paramref name="code"/>.</summary>
    private static void AssertFieldError(JsonElement problem, string field, string code, string part)
    {
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"errors should name '{field}': {problem}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(part, StringComparison.Ordinal));
        Assert.Contains(problem.GetProperty("errorDetails").EnumerateArray(),
            d => d.Str("field") == field && d.Str("code") == code && d.Str("message").Contains(part, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreatingATour_InSpanish_NamesEveryBadFieldInSpanish_WithItsCode()
    {
        var client = factory.CreateClient();
        var body = new
        {
            name = "", timeZone = "America/Atlantis", startDate = "2026-11-15", endDate = "2026-10-22", speakers = Array.Empty<object>(),
            rules = new { holdDays = 0 }, language = "fr",
        };
        var problem = AssertSpanishProblem(await SendAsync(client, HttpMethod.Post, "/api/tours", body: body), HttpStatusCode.BadRequest,
            "problem.invalid-fields", "Datos no válidos", "Uno o más datos no son válidos.");
        AssertFieldError(problem, "name", "field.required", "Falta name: es obligatorio.");
        AssertFieldError(problem, "timeZone", "zone.unknown", "«America/Atlantis» no es una zona horaria IANA conocida");
        AssertFieldError(problem, "endDate", "tour.end-before-start", "es anterior a startDate");
        AssertFieldError(problem, "speakers", "tour.no-speaker", "necesita al menos una persona oradora");
        AssertFieldError(problem, "rules.holdDays", "field.range", "holdDays debe estar entre 1 y 90.");
        AssertFieldError(problem, "language", "field.language", "debe ser «en» o «es»");
        Assert.DoesNotContain("is required", problem.GetRawText());

        var english = await SendAsync(client, HttpMethod.Post, "/api/tours", body: body, language: null);
        Assert.Equal("Invalid input", english.Body.Str("title"));
        AssertFieldError(english.Body, "name", "field.required", "name is required.");
    }

    [Fact]
    public async Task AClaimInADaylightSavingGap_InSpanish_NamesTheGapInSpanish()
    {
        var client = factory.CreateClient();
        var tour = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody("Gira de primavera", start: "2027-03-01", end: "2027-03-31")), HttpStatusCode.Created);
        var host = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Str("id")}/hosts", tour.Str("organizerToken"), new { name = "G" }), HttpStatusCode.Created);
        var a = await SendAsync(client, HttpMethod.Post, $"/api/tours/{tour.Str("id")}/claims", host.Str("inviteToken"), ApiScenario.ClaimBody("2027-03-14", time: "02:30"));
        var problem = AssertSpanishProblem(a, HttpStatusCode.BadRequest, "problem.invalid-fields", "Datos no válidos", "no son válidos");
        AssertFieldError(problem, "events[0].start", "time.gap", "2027-03-14T02:30 no existe en America/Chicago: el dom 14 mar 2027 los relojes saltan de las 02:00 a las 03:00 (CST a CDT)");
    }

    [Fact]
    public async Task AClaim_InSpanish_IsRefusedInSpanish_ForAnUnknownZone_DatesOutsideTheTour_AndAPastDate()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var zone = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, ApiScenario.ClaimBody("2026-10-30", zone: "Chicago"));
        AssertFieldError(AssertSpanishProblem(zone, HttpStatusCode.BadRequest, "problem.invalid-fields", "Datos no válidos", "no son válidos"),
            "timeZone", "zone.unknown", "«Chicago» no es una zona horaria IANA conocida");

        var outside = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, ApiScenario.ClaimBody("2026-12-01"));
        AssertFieldError(outside.Body, "dates[0]", "date.outside-tour", "El mar 1 dic 2026 está fuera de la gira (del jue 22 oct 2026 al dom 15 nov 2026).");

        // The test clock reads 1 Oct 2026: a tour that began in September has past dates.
        var tour = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody("Gira de septiembre", start: "2026-09-15", end: "2026-10-30")), HttpStatusCode.Created);
        var host = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Str("id")}/hosts", tour.Str("organizerToken"), new { name = "G" }), HttpStatusCode.Created);
        var past = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{tour.Str("id")}/claims", host.Str("inviteToken"), ApiScenario.ClaimBody("2026-09-20"));
        AssertFieldError(past.Body, "dates[0]", "date.past", $"El dom 20 {SpanishMonth(9)} 2026 ya pasó (en America/Chicago es ");
    }

    [Fact]
    public async Task ANote_FollowsTheLanguage_AndLangInTheQueryWinsOverTheHeader()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var spanish = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims?lang=es", s.HostA, ApiScenario.ClaimBody("2026-11-01", time: "01:30"), language: "en");
        Assert.Equal(HttpStatusCode.Created, spanish.Status);
        Assert.StartsWith("events[0].start: 2026-11-01T01:30 ocurre dos veces en America/Chicago (los relojes se atrasan); se tomó la primera",
            spanish.Body.GetProperty("notes")[0].GetString());
        var detail = spanish.Body.GetProperty("noteDetails")[0];
        Assert.Equal(("events[0].start", "time.repeated"), (detail.Str("field"), detail.Str("code")));

        var english = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims?lang=en", s.HostB, ApiScenario.ClaimBody("2026-11-01", time: "01:30"), language: "es");
        Assert.Contains("happens twice in America/Chicago", english.Body.GetProperty("notes")[0].GetString());
    }

    [Theory]
    [InlineData("en;q=0.3, es;q=0.9", "No encontrado")] // qualities, not order, decide
    [InlineData("es-MX", "No encontrado")]
    [InlineData("es;q=0, en", "Not found")]
    [InlineData("fr, de;q=0.5", "Not found")]
    public async Task TheLanguage_FollowsAcceptLanguageQualities(string header, string title)
    {
        var a = await SendAsync(factory.CreateClient(), HttpMethod.Get, "/api/slugs/no-such-tour-here", language: header);
        Assert.Equal((HttpStatusCode.NotFound, title), (a.Status, a.Body.Str("title")));
    }

    [Fact]
    public async Task AccessRefusals_401_403_404_AreInSpanish()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        AssertSpanishProblem(await SendAsync(s.Client, HttpMethod.Get, $"/api/tours/{s.TourId}/hosts"), HttpStatusCode.Unauthorized,
            "token.required", "Sin autorización", "Esto necesita un token");
        AssertSpanishProblem(await SendAsync(s.Client, HttpMethod.Get, $"/api/tours/{s.TourId}/hosts", "not-a-token-of-this-tour-0123456789abcdefghij"),
            HttpStatusCode.Unauthorized, "token.invalid", "Sin autorización", "El token no es válido para esta gira");
        AssertSpanishProblem(await SendAsync(s.Client, HttpMethod.Get, $"/api/tours/{s.TourId}/hosts", s.HostA), HttpStatusCode.Forbidden,
            "access.denied", "Prohibido", "Su enlace no da acceso a esto.");
        AssertSpanishProblem(await SendAsync(s.Client, HttpMethod.Get, "/api/tours/t_0000000000000000"), HttpStatusCode.NotFound,
            "tour.not-found", "No encontrado", "No existe esa gira.");
        AssertSpanishProblem(await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims/c_nope/confirm", s.Organizer), HttpStatusCode.NotFound,
            "claim.not-found", "No encontrado", "No hay ningún pedido «c_nope» en esta gira.");
        // The framework's own 404 (no such route) is worded too.
        var route = await SendAsync(s.Client, HttpMethod.Get, "/api/no-such-endpoint");
        Assert.Equal((HttpStatusCode.NotFound, "No encontrado"), (route.Status, route.Body.Str("title")));
    }

    [Fact]
    public async Task AConflictRefusal_AndItsConflicts_AreInSpanish()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var second = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB, ApiScenario.ClaimBody()), HttpStatusCode.Created);
        var rank = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{second.Str("claimId")}/confirm", s.Organizer);
        AssertSpanishProblem(rank, HttpStatusCode.Conflict, "claim.not-rank-one", "Conflicto", "El pedido está en el puesto 2 para sus fechas");

        // Los Angeles the next morning: travel cannot be made. The organizer reads the refusal and its conflicts in Spanish.
        var far = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB,
            ApiScenario.ClaimBody("2026-10-29", "Los Angeles", "America/Los_Angeles", 34.05, -118.24, time: "02:00")), HttpStatusCode.Created);
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        var refused = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{far.Str("claimId")}/confirm", s.Organizer);
        var problem = AssertSpanishProblem(refused, HttpStatusCode.Conflict, "claim.breaks-rules", "Conflicto", "Confirmar este pedido rompería las reglas de la gira.");
        var travel = Assert.Single(problem.GetProperty("conflicts").EnumerateArray(), c => c.Str("code") == "travel-impossible");
        Assert.StartsWith("La persona oradora no puede llegar de Chicago a Los Angeles a tiempo", travel.Str("message"));
        Assert.Equal(travel.Str("message"), travel.Str("messageEs"));
        Assert.Contains("«Public meeting: Defend immigrant workers» empieza a las jue 29 oct 02:00 PDT", travel.Str("message"));
    }

    [Fact]
    public async Task AToursCap_InSpanish_NamesTheCap()
    {
        var client = factory.CreateClient();
        var body = new
        {
            name = "Gira con veinte", timeZone = "America/Chicago", startDate = "2026-10-22", endDate = "2026-11-15",
            speakers = Enumerable.Range(1, 20).Select(i => new { name = $"Persona {i}", homeTimeZone = "America/Chicago" }).ToArray(),
        };
        var tour = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: body), HttpStatusCode.Created);
        var a = await SendAsync(client, HttpMethod.Post, $"/api/tours/{tour.Str("id")}/speakers", tour.Str("organizerToken"), new { name = "Una más", homeTimeZone = "America/Chicago" });
        var problem = AssertSpanishProblem(a, HttpStatusCode.Conflict, "tour.too-many-speakers", "Límite alcanzado", "Una gira puede tener como máximo 20 personas oradoras.");
        Assert.Equal("speakers", problem.Str("limit"));
        AssertFieldError(problem, "speakers", "tour.too-many-speakers", "como máximo 20 personas oradoras");
    }

    [Fact]
    public async Task AnIdempotencyKeyReused_WithAnotherRequest_IsRefusedInSpanish()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var key = "lang-" + Guid.NewGuid().ToString("N");
        var first = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/hosts", s.Organizer, new { name = "Grupo uno" }, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var again = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/hosts", s.Organizer, new { name = "Grupo dos" }, idempotencyKey: key);
        var problem = AssertSpanishProblem(again, (HttpStatusCode)422, "idempotency.key-reused", "Clave de idempotencia reutilizada", "ya se usó con otra solicitud distinta");
        AssertFieldError(problem, "Idempotency-Key", "idempotency.key-reused", "ya se usó");
    }

    [Fact]
    public async Task MalformedJson_InSpanish_NamesTheField_WithoutTheParsersEnglish()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var body = "{\"city\":\"Chicago\",\"country\":\"US\",\"timeZone\":\"America/Chicago\",\"dates\":[\"2026-10-30\"],\"events\":[{\"title\":\"x\",\"start\":\"mañana\",\"durationMinutes\":60}]}";
        var a = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, body);
        var problem = AssertSpanishProblem(a, HttpStatusCode.BadRequest, "json.invalid-value", "JSON mal formado", "Este valor no es válido aquí");
        AssertFieldError(problem, "events[0].start", "json.invalid-value", "se esperaba una fecha y hora locales como 2026-10-28T19:00");

        var number = "{\"city\":\"Chicago\",\"dates\":[\"2026-10-30\"],\"events\":[{\"title\":\"x\",\"start\":\"2026-10-30T19:00\",\"durationMinutes\":\"dos horas\"}]}";
        AssertFieldError((await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, number)).Body,
            "events[0].durationMinutes", "json.invalid-value", "se esperaba un número entero");
        var date = "{\"city\":\"Chicago\",\"dates\":[\"30/10/2026\"]}";
        AssertFieldError((await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, date)).Body,
            "dates[0]", "json.invalid-value", "se esperaba una fecha como 2026-10-28");
        var broken = await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, "{\"city\": \"Chicago\", \"dates\": [\"2026-10-30\"");
        Assert.DoesNotContain("LineNumber", broken.Text);
        Assert.Contains(broken.Body.GetProperty("errorDetails").EnumerateArray(), d => d.Str("code") is "json.incomplete" or "json.malformed");
    }

    [Fact]
    public async Task SuggestionReasons_AreInTheRequestsLanguage_WithCodes()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        var a = await SendAsync(s.Client, HttpMethod.Get, $"/api/tours/{s.TourId}/suggestions?hostId={s.HostBId}&from=2026-10-27&to=2026-10-31&timeZone=America/Chicago&latitude=41.88&longitude=-87.63", s.HostB);
        Assert.Equal(HttpStatusCode.OK, a.Status);
        var fits = a.Body.GetProperty("suggestions")[0];
        Assert.Equal("suggest.fits", fits.Str("code"));
        Assert.StartsWith("Encaja en la ruta confirmada", fits.Str("reason"));
        var taken = Assert.Single(a.Body.GetProperty("rejected").EnumerateArray(), r => r.Str("date") == "2026-10-28");
        Assert.Equal(("date-confirmed", "Ya está confirmada para Chicago."), (taken.Str("code"), taken.Str("reason")));
    }

    /// <summary>The abbreviated month as this machine's ICU writes it in Spanish ("sept" or "sep").</summary>
    private static string SpanishMonth(int month) =>
        System.Globalization.CultureInfo.GetCultureInfo("es").DateTimeFormat.GetAbbreviatedMonthName(month);
}
