#!/usr/bin/env python3
"""Generate the cxkpi sample customer-experience survey (``cx_survey_sample.csv``) and its companions.

Synthetic, seeded and reproducible: the same seed gives byte-identical files
(standard library only: random, csv, json, datetime, unicodedata, argparse). Written with CPython 3.11.

    python3 generate_sample.py                  # writes every output file beside this script
    python3 generate_sample.py --summary        # also prints the facts quoted in README.md
    python3 generate_sample.py --check          # regenerate in memory, compare with the files on disk

Outputs (README.md documents every column and every planted pattern)
---------------------------------------------------------------------
cx_survey_sample.csv
    50,000 survey responses, field period 2024-01-03 .. 2025-12-29 (8 quarters), one row per response:
    response_id, date, customer_id, segment, region, channel, product_line, nps, csat, ces, sentiment
    (the version-1 columns, unchanged in order and meaning), then team, agent_id, completion_seconds,
    email_domain, q1..q5, verbatim. A missing answer is an empty field. No field contains a comma or a
    double quote, so a plain split on ',' reads every line.
cx_survey_sample_invalid.csv
    The manifest of the 250 deliberately invalid rows (values a scale validator must refuse):
    response_id, column, value, defect. Every invalid row has exactly one defect.
cx_survey_sample_planted.csv
    The manifest of the planted data-quality rows and scripted verbatims: response_id, kind, detail.
    kind is duplicate, speeder, straight_liner, internal_test, out_of_field_period, bot or
    scripted_verbatim. No row is in both manifests and no row has two planted kinds.
cx_daily_invitations.csv
    date, team, invited, responded for every day of the field period and each of the 12 teams.
cx_verbatim_labels.csv
    The true themes of 1,000 sampled verbatims: response_id, language, theme_id, negated (one line per
    theme; a verbatim without a theme has one line with an empty theme_id).
verbatim_themes.json
    The theme list used to write the verbatims (id, label, polarity, phrases per language, examples).

How a response is made
----------------------
1. Volume: rows per quarter grow with the business (QUARTER_WEIGHTS); the day within a quarter is
   uniform over the field-period days, with weekends at 40 % of a weekday's volume.
2. Who answers: segment by SEGMENT_WEIGHTS, region by REGION_WEIGHTS (EMEA gets 25 % more responses
   in 2025-Q2: the outage complaint surge), then a customer drawn from a fixed pool per
   (segment, region), so large accounts answer many times; a customer never answers twice within
   CUSTOMER_GAP_DAYS (14) days. Channel and product line depend on the segment; the team is drawn
   among the region's teams in proportion to their agents, the agent uniformly within the team.
3. Latent experience  z = mu + customer effect + noise, where
       mu = segment + region + channel + product + season(quarter of year) + trend(quarter index)
            + outage(date, region) + launch(date, product) + day of week + team + agent
   customer effect ~ N(0, 0.35), agent effect ~ N(0, 0.10) (both fixed), noise ~ N(0, 1).
4. The answers are read off z with their own noise: nps = round(8.1 + 2.0 z + N(0, 0.6)) clipped to
   0..10; csat = round(4.05 + 0.8 z + N(0, 0.55)) clipped to 1..5; ces (1..7, higher = easier) =
   round(5.2 + 0.9 z + channel ease + N(0, 0.8)) clipped; sentiment from 0.9 z + N(0, 0.6): positive
   above 0.30, negative below -0.80, else neutral; grid q1..q5 = round(3.75 + 0.8 z + item shift +
   N(0, 0.75)) clipped to 1..5, and never all five equal (q3 is moved one step if they would be).
5. Manipulation: in team COACH_TEAM from COACH_DATE, a response whose nps is 0-6 is filtered away with
   probability SUPPRESS_P (it never reaches the file; the invitations file still counts it as
   invited), and the kept responses are re-read from z' = COACH_CENTER + COACH_SHRINK (z - COACH_CENTER).
6. Missing answers: nps, csat, ces and sentiment independently blank with MISSING_RATE (3 % to 5 %).
7. Verbatims: about 30 % of the rows with a sentiment label get a comment of 8..25 words built from
   the THEMES sentences (pain themes for negative answers, praise for positive, negated mentions
   sometimes), in French, German or Spanish for part of EMEA and LATAM; event context raises the
   matching theme (app crashes in the launch window, outage in EMEA during the outage).
8. Planted rows: duplicates, internal tests, out-of-period and bot rows are added; speeders and
   straight-liners modify clean rows; INVALID_COUNTS rows (0.5 %) get one invalid value each.
9. Rows are sorted by (true) date and numbered R000001 .. R050000.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import os
import random
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict

SEED = 20240101
N_ROWS = 50_000

GRID = ["q1", "q2", "q3", "q4", "q5"]
COLUMNS = [
    "response_id", "date", "customer_id", "segment", "region", "channel",
    "product_line", "nps", "csat", "ces", "sentiment",
    # version 2 (appended)
    "team", "agent_id", "completion_seconds", "email_domain", *GRID, "verbatim",
]
# The grid: five attributes rated 1-5 (5 = very good); item shifts in the latent read-off.
GRID_ITEMS = {"q1": "ease of contacting us", "q2": "agent knowledge", "q3": "speed of resolution",
              "q4": "product reliability", "q5": "value for money"}
GRID_SHIFT = [0.0, 0.10, -0.20, -0.05, -0.30]

# The survey's field period: first invitations 2024-01-03, closed 2025-12-29.
FIELD_START = dt.date(2024, 1, 3)
FIELD_END = dt.date(2025, 12, 29)

QUARTERS = [(2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4)]
# Relative response volume per quarter (growing business, a Q4 lull in survey sends).
QUARTER_WEIGHTS = [0.104, 0.114, 0.121, 0.110, 0.125, 0.140, 0.147, 0.139]

SEGMENTS = ["Enterprise", "Mid-Market", "SMB", "Consumer"]
SEGMENT_WEIGHTS = [0.07, 0.16, 0.31, 0.46]
# Latent shift per segment: Enterprise highest, SMB lowest.
SEGMENT_EFFECT = {"Enterprise": 0.40, "Mid-Market": 0.18, "SMB": -0.28, "Consumer": 0.0}
# Number of distinct customers per segment (split over regions by REGION_WEIGHTS).
CUSTOMER_POOL = {"Enterprise": 240, "Mid-Market": 1400, "SMB": 6500, "Consumer": 24000}
CUSTOMER_GAP_DAYS = 14  # organic responses of one customer are at least this many days apart

REGIONS = ["NA", "EMEA", "APAC", "LATAM"]
REGION_WEIGHTS = [0.41, 0.30, 0.18, 0.11]
REGION_EFFECT = {"NA": 0.08, "EMEA": 0.0, "APAC": 0.04, "LATAM": -0.12}

CHANNELS = ["email", "web", "in-app", "phone"]
CHANNEL_WEIGHTS = {  # by segment: B2B answers by email and phone, consumers in the app
    "Enterprise": [0.55, 0.20, 0.05, 0.20],
    "Mid-Market": [0.50, 0.25, 0.12, 0.13],
    "SMB":        [0.40, 0.30, 0.20, 0.10],
    "Consumer":   [0.25, 0.25, 0.45, 0.05],
}
# Phone respondents called in with a problem: lower experience, and effort is felt more.
CHANNEL_EFFECT = {"email": 0.0, "web": 0.02, "in-app": 0.08, "phone": -0.30}
CHANNEL_EASE = {"email": 0.0, "web": 0.0, "in-app": 0.35, "phone": -0.55}

PRODUCT_LINES = ["Core Platform", "Analytics", "Payments", "Mobile App"]
PRODUCT_WEIGHTS = {
    "Enterprise": [0.45, 0.35, 0.15, 0.05],
    "Mid-Market": [0.40, 0.30, 0.20, 0.10],
    "SMB":        [0.35, 0.15, 0.35, 0.15],
    "Consumer":   [0.05, 0.00, 0.35, 0.60],
}
PRODUCT_EFFECT = {"Core Platform": 0.03, "Analytics": 0.10, "Payments": -0.10, "Mobile App": 0.0}

# Seasonality by quarter of the year (Q4 holiday backlog, Q3 best) and a gentle upward trend.
SEASON_EFFECT = {1: -0.06, 2: 0.02, 3: 0.10, 4: -0.14}
TREND_PER_QUARTER = 0.025
# Day of week (Monday = 0): weekend answers are lower, Monday carries the weekend backlog.
DOW_EFFECT = {0: -0.05, 1: 0.05, 2: 0.05, 3: 0.05, 4: 0.0, 5: -0.25, 6: -0.30}

# The planted incident: an EMEA platform outage from 2025-04-09, fixed on 2025-06-15, with the
# effect on experience fading linearly to zero by 2025-08-31.
OUTAGE_REGION = "EMEA"
OUTAGE_START = dt.date(2025, 4, 9)
OUTAGE_FIXED = dt.date(2025, 6, 15)
OUTAGE_RECOVERED = dt.date(2025, 8, 31)
OUTAGE_DEPTH = -0.70
OUTAGE_VOLUME_FACTOR = 1.25  # EMEA response volume multiplier in 2025-Q2
OUTAGE_THEME_MULT = 25.0

# The planted launch: Mobile App 5.0 released 2024-05-14; four weeks of teething problems
# (2024-05-14 .. 2024-06-10) for Mobile App responses, then a small lasting improvement.
LAUNCH_PRODUCT = "Mobile App"
LAUNCH_START = dt.date(2024, 5, 14)
LAUNCH_END = dt.date(2024, 6, 10)
LAUNCH_DEPTH = -0.60
LAUNCH_AFTER = 0.10
LAUNCH_CRASH_MULT = 10.0

# Teams: (name, region, agents, latent effect, survey response rate).
TEAMS = [
    ("Austin", "NA", 12, 0.05, 0.20), ("Toronto", "NA", 11, 0.00, 0.18),
    ("Denver", "NA", 10, -0.03, 0.19), ("Atlanta", "NA", 9, -0.06, 0.17),
    ("Dublin", "EMEA", 11, 0.04, 0.16), ("Berlin", "EMEA", 10, 0.00, 0.15),
    ("Lisbon", "EMEA", 9, -0.04, 0.17), ("Warsaw", "EMEA", 8, 0.02, 0.14),
    ("Singapore", "APAC", 11, 0.03, 0.21), ("Sydney", "APAC", 9, -0.02, 0.19),
    ("Bogota", "LATAM", 10, 0.00, 0.13), ("Monterrey", "LATAM", 10, -0.03, 0.12),
]
AGENT_SD = 0.10
# The planted manipulation: team Denver after its coaching day.
COACH_TEAM = "Denver"
COACH_DATE = dt.date(2025, 7, 7)
SUPPRESS_P = 0.60
COACH_CENTER = 0.7
COACH_SHRINK = 0.7
SCRIPTED_VERBATIMS = 24

CUSTOMER_SD = 0.35
MISSING_RATE = {"nps": 0.030, "csat": 0.040, "ces": 0.050, "sentiment": 0.045}
COMPLETION_MIN = 55            # organic completion time = 55 s + lognormal (median 55 + 110 s)
COMPLETION_MEDIAN_EXTRA = 110
VERBATIM_RATE = {"negative": 0.40, "neutral": 0.30, "positive": 0.28}
# Share of verbatims per language by region (the rest are English).
LANGUAGE_SHARE = {"EMEA": [("fr", 0.12), ("de", 0.14)], "LATAM": [("es", 0.35)]}
LABEL_SAMPLE = 1000

# E-mail domains: consumers use webmail, business customers their company domain.
WEBMAIL = {
    "NA": [("gmail.com", 45), ("outlook.com", 20), ("yahoo.com", 15), ("icloud.com", 12), ("aol.com", 3)],
    "EMEA": [("gmail.com", 35), ("outlook.com", 15), ("gmx.de", 12), ("web.de", 8), ("orange.fr", 10),
             ("free.fr", 5), ("btinternet.com", 5)],
    "APAC": [("gmail.com", 45), ("outlook.com", 15), ("yahoo.co.jp", 15), ("bigpond.com", 10)],
    "LATAM": [("gmail.com", 50), ("hotmail.com", 25), ("outlook.com", 10), ("yahoo.com.mx", 8)],
}
DOMAIN_A = ["north", "blue", "silver", "green", "bright", "iron", "oak", "summit", "harbor", "river",
            "stone", "cedar", "pine", "delta", "vista", "apex", "coral", "maple", "falcon", "orbit"]
DOMAIN_B = ["wind", "peak", "field", "works", "logistics", "labs", "foods", "retail", "systems", "health",
            "motors", "bridge", "point", "gate", "line", "trade", "data", "craft", "farm", "media"]
COMPANY_TLD = {"NA": [".com", ".com", ".ca"], "EMEA": [".co.uk", ".de", ".fr", ".eu", ".com"],
               "APAC": [".com.au", ".sg", ".com"], "LATAM": [".com.br", ".com.mx", ".com"]}
# Our own staff: responses from these domains are internal test entries.
INTERNAL_DOMAINS = ["example-corp.internal", "qa.example-corp.com", "example-corp.com"]
TEST_VERBATIMS = ["This is a test response from QA please ignore.",
                  "Testing the new survey flow again please ignore this entry.",
                  "test test test checking that the form submits correctly"]

# Planted data-quality rows. Added rows (not organic responses, not counted as responded):
ADDED_COUNTS = {"duplicate": 60, "internal_test": 40, "out_of_field_period": 16, "bot": 90}
# Modified organic rows:
PLANTED_COUNTS = {"speeder": 150, "straight_liner": 120}
SPEEDER_RANGE = (6, 29)
OUT_OF_PERIOD_DAYS = [dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2025, 12, 30), dt.date(2025, 12, 31)]
# Bot bursts: (date, identical answer vector nps, csat, ces, sentiment, q1..q5).
BOT_BURSTS = [
    (dt.date(2024, 11, 19), (10, 5, 7, "positive", 5, 4, 5, 4, 5)),
    (dt.date(2025, 3, 12), (0, 1, 1, "negative", 1, 2, 1, 2, 1)),
    (dt.date(2025, 10, 8), (5, 3, 4, "neutral", 3, 4, 3, 4, 3)),
]
# Rows that are organic responses (counted in the invitations file's `responded`).
ORGANIC_KINDS = {"organic", "invalid", "speeder", "straight_liner", "duplicate_source", "scripted_verbatim"}

# Planted invalid rows: (defect, column, value). One defect per row, 250 rows = 0.5 %.
INVALID_COUNTS = [
    ("nps_above_scale", "nps", 40),
    ("nps_below_scale", "nps", 35),
    ("nps_non_integer", "nps", 40),
    ("csat_above_scale", "csat", 45),
    ("unparseable_date", "date", 45),
    ("unknown_sentiment", "sentiment", 45),
]
INVALID_VALUE = {
    "nps_above_scale": "11",
    "nps_below_scale": "-1",
    "nps_non_integer": "7.5",
    "csat_above_scale": "6",
    "unknown_sentiment": "mixed",
}

# ----------------------------------------------------------------------------------------------
# Open-text themes. A template's [bracketed] part is the theme phrase written to
# verbatim_themes.json (the brackets are removed in the text). negated=True marks a template in
# which the theme phrase is negated by a cue in front of it ("not [helpful]", "no [hidden fees]");
# phrases such as "never arrived" carry their negation inside the phrase and are NOT negated.
# No template contains a comma or a double quote (the CSV then never needs quoting).

THEMES = [
    # id, label, polarity, base weight, {language: [(template, negated), ...]}
    ("billing_errors", "Billing errors", "pain", 1.2, {
        "en": [("I was [charged twice] for the same order.", False),
               ("There was a [billing error] on my last invoice.", False),
               ("My [invoice was wrong] again this month.", False)],
        "fr": [("J'ai été [facturé deux fois] pour la même commande.", False),
               ("Il y a une [erreur de facturation] sur ma dernière facture.", False)],
        "de": [("Ich wurde [doppelt abgebucht] für dieselbe Bestellung.", False),
               ("Auf meiner letzten Rechnung war ein [Abrechnungsfehler].", False)],
        "es": [("Me [cobraron dos veces] por el mismo pedido.", False),
               ("Hubo un [error en la factura] del último mes.", False)]}),
    ("hidden_fees", "Unexpected fees", "pain", 0.6, {
        "en": [("I found [hidden fees] on my statement.", False),
               ("Nobody told me about the [extra charges] for this.", False),
               ("Good to see no [hidden fees] this time.", True)],
        "fr": [("Des [frais cachés] sont apparus sur mon relevé.", False)],
        "de": [("Es gab [versteckte Gebühren] auf meiner Abrechnung.", False)],
        "es": [("Aparecieron [cargos ocultos] en mi estado de cuenta.", False)]}),
    ("slow_delivery", "Slow or missing delivery", "pain", 1.0, {
        "en": [("My package [never arrived] and nobody could tell me why.", False),
               ("The [delivery was late] by more than a week.", False),
               ("[Shipping took forever] for a simple order.", False)],
        "fr": [("Mon colis [n'est jamais arrivé] malgré mes relances.", False),
               ("La [livraison était très lente] cette fois.", False)],
        "de": [("Mein Paket ist [nie angekommen] und niemand wusste warum.", False),
               ("Die [Lieferung dauerte ewig] für eine einfache Bestellung.", False)],
        "es": [("Mi paquete [nunca llegó] y nadie me dio una explicación.", False),
               ("La [entrega fue muy lenta] esta vez.", False)]}),
    ("app_crashes", "App crashes", "pain", 0.8, {
        "en": [("The [app crashes] every time I open my account.", False),
               ("The [app keeps crashing] after the last update.", False),
               ("No more [app crashes] since the last update.", True)],
        "fr": [("L'[application plante] à chaque ouverture.", False)],
        "de": [("Die [App stürzt ständig ab] seit dem letzten Update.", False)],
        "es": [("La [aplicación se cierra sola] cada vez que la abro.", False)]}),
    ("login_problems", "Login problems", "pain", 0.7, {
        "en": [("I [cannot log in] since the password reset.", False),
               ("[Login problems] again this week with the security code.", False)],
        "fr": [("Je [n'arrive pas à me connecter] depuis hier.", False)],
        "de": [("Ich [kann mich nicht anmelden] seit dem Passwortwechsel.", False)],
        "es": [("[No puedo iniciar sesión] desde el cambio de contraseña.", False)]}),
    ("long_wait", "Long wait time", "pain", 1.4, {
        "en": [("I waited [on hold for 40 minutes] before anyone answered.", False),
               ("The [wait time] on the phone was far too long.", False),
               ("[Long wait times] every single time I call.", False)],
        "fr": [("Le [temps d'attente] au téléphone est beaucoup trop long.", False)],
        "de": [("Die [Wartezeit] am Telefon war viel zu lang.", False),
               ("Ich hing [ewig in der Warteschleife] bis jemand abnahm.", False)],
        "es": [("El [tiempo de espera] al teléfono fue demasiado largo.", False)]}),
    ("rude_staff", "Rude staff", "pain", 0.5, {
        "en": [("The agent was [rude] and cut me off.", False),
               ("The [staff were rude] on the phone today.", False)],
        "fr": [("Le conseiller était [impoli] avec moi.", False)],
        "de": [("Der Mitarbeiter war [unhöflich] zu mir.", False)],
        "es": [("El agente fue [grosero] conmigo.", False)]}),
    ("repeat_contact", "Had to contact several times", "pain", 1.0, {
        "en": [("I had to [call three times] to get this fixed.", False),
               ("I [contacted support several times] about the same issue.", False)],
        "fr": [("J'ai dû [appeler plusieurs fois] pour le même problème.", False)],
        "de": [("Ich musste [mehrmals anrufen] wegen desselben Problems.", False)],
        "es": [("Tuve que [llamar varias veces] por el mismo problema.", False)]}),
    ("service_outage", "Service outage", "pain", 0.3, {
        "en": [("The [service was down] for most of the day.", False),
               ("Another [outage] and we lost a full day of work.", False),
               ("[Platform unavailable] again this morning.", False)],
        "fr": [("Le [service était en panne] toute la journée.", False)],
        "de": [("Der [Dienst war ausgefallen] den ganzen Tag.", False),
               ("Schon wieder ein [Ausfall] der Plattform.", False)],
        "es": [("El [servicio estuvo caído] todo el día.", False)]}),
    ("slow_refund", "Slow refund", "pain", 0.6, {
        "en": [("Still [waiting for my refund] after three weeks.", False),
               ("The [refund took weeks] to arrive.", False)],
        "fr": [("Le [remboursement a pris des semaines] à arriver.", False)],
        "de": [("Die [Rückerstattung dauert] schon drei Wochen.", False)],
        "es": [("El [reembolso tardó semanas] en llegar.", False)]}),
    ("confusing_ui", "Confusing interface", "pain", 0.7, {
        "en": [("The new [menu is confusing] for new users.", False),
               ("The [interface is confusing] and cluttered.", False)],
        "fr": [("Le [menu est confus] depuis la mise à jour.", False)],
        "de": [("Das [Menü ist unübersichtlich] geworden.", False)],
        "es": [("El [menú es confuso] desde la actualización.", False)]}),
    ("price_too_high", "Price too high", "pain", 0.9, {
        "en": [("The [price is too high] for what you get.", False),
               ("[Too expensive] compared to other providers.", False)],
        "fr": [("C'est [trop cher] pour ce que c'est.", False)],
        "de": [("Das ist [zu teuer] für die Leistung.", False)],
        "es": [("Es [demasiado caro] para lo que ofrece.", False)]}),
    ("poor_communication", "Poor communication", "pain", 0.8, {
        "en": [("[Nobody kept me informed] about my case.", False),
               ("I got [no updates] for two weeks.", False)],
        "fr": [("[Aucune nouvelle] de mon dossier depuis deux semaines.", False)],
        "de": [("Ich bekam [keine Rückmeldung] zu meinem Fall.", False)],
        "es": [("[Nadie me informó] sobre mi caso.", False)]}),
    ("friendly_staff", "Friendly staff", "praise", 1.2, {
        "en": [("The agent was [friendly] and patient with me.", False),
               ("Really [friendly staff] on the phone.", False),
               ("The agent was not [friendly] at all.", True)],
        "fr": [("Le conseiller était très [aimable] avec moi.", False),
               ("Le conseiller n'était pas [aimable] du tout.", True)],
        "de": [("Die Mitarbeiterin war sehr [freundlich] zu mir.", False),
               ("Der Mitarbeiter war nicht [freundlich] zu mir.", True)],
        "es": [("La agente fue muy [amable] conmigo.", False),
               ("El agente no fue [amable] conmigo.", True)]}),
    ("helpful_staff", "Helpful and knowledgeable staff", "praise", 1.2, {
        "en": [("The agent was very [helpful] and knew the product well.", False),
               ("[Knowledgeable support] that explained everything.", False),
               ("The agent was not [helpful] at all.", True)],
        "fr": [("Le conseiller était très [compétent] et patient.", False),
               ("Le conseiller n'a pas été [utile] du tout.", True)],
        "de": [("Sehr [hilfsbereit] und kompetent am Telefon.", False),
               ("Der Mitarbeiter war nicht [hilfsbereit] am Telefon.", True)],
        "es": [("El agente fue muy [útil] y conocía el producto.", False),
               ("El agente no fue [útil] para nada.", True)]}),
    ("fast_resolution", "Fast resolution", "praise", 1.0, {
        "en": [("My issue was [solved on the first call].", False),
               ("[Quick resolution] and no back and forth.", False),
               ("They [fixed it within minutes].", False)],
        "fr": [("Problème [résolu rapidement] dès le premier appel.", False)],
        "de": [("Mein Problem wurde [schnell gelöst] beim ersten Anruf.", False)],
        "es": [("Mi problema se [resolvió rápido] en la primera llamada.", False)]}),
    ("easy_to_use", "Easy to use", "praise", 0.9, {
        "en": [("The app is [easy to use] and clear.", False),
               ("[Very intuitive] new dashboard for the whole team.", False),
               ("The new portal is not [easy to use] for us.", True)],
        "fr": [("L'application est [facile à utiliser] au quotidien.", False)],
        "de": [("Die App ist [einfach zu bedienen] und übersichtlich.", False)],
        "es": [("La aplicación es [fácil de usar] cada día.", False)]}),
    ("reliable_service", "Reliable service", "praise", 0.7, {
        "en": [("The platform is [reliable] and always available.", False),
               ("[Rock solid] service for years now.", False)],
        "fr": [("Un service [fiable] depuis des années.", False)],
        "de": [("Ein [zuverlässiger] Dienst seit Jahren.", False)],
        "es": [("Un servicio [confiable] desde hace años.", False)]}),
    ("good_value", "Good value", "praise", 0.6, {
        "en": [("[Good value for money] for a small business.", False),
               ("[Fair price] for what we get.", False)],
        "fr": [("Un [bon rapport qualité prix] à mon avis.", False)],
        "de": [("Ein [gutes Preis-Leistungs-Verhältnis] für uns.", False)],
        "es": [("Buena [relación calidad precio] para nosotros.", False)]}),
    ("fast_delivery", "Fast delivery", "praise", 0.6, {
        "en": [("[Delivery was quick] and well packed.", False),
               ("My order [arrived early] and in perfect shape.", False)],
        "fr": [("[Livraison rapide] et soignée comme toujours.", False)],
        "de": [("Die [Lieferung war schnell] und gut verpackt.", False)],
        "es": [("El pedido [llegó antes de lo previsto] y en buen estado.", False)]}),
]
THEME_INDEX = {t[0]: t for t in THEMES}

# Sentences without a theme (fillers, or the whole comment of an unthemed verbatim).
FILLERS = {
    "en": ["I have been a customer for three years.", "Please pass this on to the team.",
           "Thanks for asking.", "That is all from me.", "I hope this feedback helps.",
           "We use the product every day at work."],
    "fr": ["Je suis client depuis trois ans.", "Merci de transmettre à l'équipe.",
           "Merci pour le questionnaire."],
    "de": ["Ich bin seit drei Jahren Kunde.", "Bitte an das Team weitergeben.",
           "Danke für die Umfrage."],
    "es": ["Soy cliente desde hace tres años.", "Por favor transmitan esto al equipo.",
           "Gracias por la encuesta."],
}
UNTHEMED = {
    "en": ["Nothing in particular to report this time.", "Everything was about as expected this time."],
    "fr": ["Rien de particulier à signaler cette fois."],
    "de": ["Diesmal gibt es nichts Besonderes zu berichten."],
    "es": ["Nada en particular que comentar esta vez."],
}
NEGATION_CUES = {
    "en": ["not", "no", "never", "no more", "cannot", "didn't", "don't", "isn't", "wasn't"],
    "fr": ["pas", "ne", "n'", "jamais", "aucun", "aucune", "plus"],
    "de": ["nicht", "kein", "keine", "nie", "niemals"],
    "es": ["no", "nunca", "nadie", "ningún", "ninguna"],
}
# The scripted praise planted in the manipulated team (near-duplicates of one script).
SCRIPT_NAMES = ["Sam", "Alex", "Jordan", "Taylor", "Casey", "Morgan", "Riley", "Jamie", "Drew", "Robin"]
SCRIPT_ADJ = ["amazing", "fantastic", "brilliant"]
SCRIPT_VERB = ["sorted", "fixed", "solved"]
SCRIPT_END = ["Ten out of ten from me.", "Ten out of ten from me and thank you.", "Ten out of ten."]


def quarter_of(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def quarter_days(year: int, q: int) -> list[dt.date]:
    """The days of a calendar quarter that lie inside the field period."""
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
    return [d for d in days if FIELD_START <= d <= FIELD_END]


def outage_effect(d: dt.date, region: str) -> float:
    if region != OUTAGE_REGION or d < OUTAGE_START or d > OUTAGE_RECOVERED:
        return 0.0
    if d <= OUTAGE_FIXED:
        return OUTAGE_DEPTH
    frac = (OUTAGE_RECOVERED - d).days / (OUTAGE_RECOVERED - OUTAGE_FIXED).days
    return OUTAGE_DEPTH * frac


def launch_effect(d: dt.date, product: str) -> float:
    if product != LAUNCH_PRODUCT or d < LAUNCH_START:
        return 0.0
    return LAUNCH_DEPTH if d <= LAUNCH_END else LAUNCH_AFTER


def clip_round(x: float, lo: int, hi: int) -> int:
    # floor(x + 0.5): explicit half-up rounding (Python's round() is half-even)
    return max(lo, min(hi, math.floor(x + 0.5)))


def allocate(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` in proportion to `weights` (exact sum)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def company_domain(rng: random.Random, region: str) -> str:
    return rng.choice(DOMAIN_A) + rng.choice(DOMAIN_B) + rng.choice(COMPANY_TLD[region])


def make_customers(rng: random.Random, rng_x: random.Random):
    """Fixed customer pools per (segment, region): [customer_id, customer effect, e-mail domain]."""
    ids = rng.sample(range(100_000, 1_000_000), sum(CUSTOMER_POOL.values()))
    pools: dict[tuple[str, str], list[tuple[str, float, str]]] = {}
    k = 0
    for seg in SEGMENTS:
        for reg, n in zip(REGIONS, allocate(CUSTOMER_POOL[seg], REGION_WEIGHTS)):
            pool = []
            for _ in range(n):
                if seg == "Consumer":
                    names, w = zip(*WEBMAIL[reg])
                    dom = rng_x.choices(names, w)[0]
                else:
                    dom = company_domain(rng_x, reg)
                pool.append((f"C{ids[k]}", rng.gauss(0.0, CUSTOMER_SD), dom))
                k += 1
            pools[(seg, reg)] = pool
    return pools, set(ids)


def pick_customer(rng: random.Random, pool, taken: dict, d: dt.date):
    """Skewed towards the front of the pool (a few accounts answer often, most rarely); a customer
    who already answered within CUSTOMER_GAP_DAYS of `d` is passed over for the next free one."""
    i0 = int(len(pool) * rng.random() ** 1.6)
    for j in range(len(pool)):
        c = pool[(i0 + j) % len(pool)]
        if all(abs((d - x).days) >= CUSTOMER_GAP_DAYS for x in taken.get(c[0], ())):
            return c
    raise RuntimeError("customer pool exhausted")


def poisson(rng: random.Random, lam: float) -> int:
    # Knuth's multiplication method (lam is small here); deterministic for a seeded rng.
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def read_answers(rng: random.Random, rng_x: random.Random, z: float, chan: str) -> dict:
    """The survey answers read off the latent experience z (no blanks yet)."""
    nps = clip_round(8.1 + 2.0 * z + rng.gauss(0.0, 0.6), 0, 10)
    csat = clip_round(4.05 + 0.8 * z + rng.gauss(0.0, 0.55), 1, 5)
    ces = clip_round(5.2 + 0.9 * z + CHANNEL_EASE[chan] + rng.gauss(0.0, 0.8), 1, 7)
    s = 0.9 * z + rng.gauss(0.0, 0.6)
    sent = "positive" if s > 0.30 else ("negative" if s < -0.80 else "neutral")
    grid = [clip_round(3.75 + 0.8 * z + sh + rng_x.gauss(0.0, 0.75), 1, 5) for sh in GRID_SHIFT]
    if len(set(grid)) == 1:  # organic answers are never straight: move q3 one step towards the middle
        grid[2] += -1 if grid[2] > 1 else 1
    return {"nps": str(nps), "csat": str(csat), "ces": str(ces), "sentiment": sent,
            "grid": [str(g) for g in grid], "z": z}


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def pick_theme(rng: random.Random, group: str, ctx: dict, exclude=(), lang="en", negated=False):
    cands, ws = [], []
    for tid, _label, pol, w, tpl in THEMES:
        if pol != group or tid in exclude:
            continue
        if negated and not any(n for _, n in tpl.get(lang, [])):
            continue
        m = ctx.get(tid, 1.0)
        cands.append(tid)
        ws.append(w * m)
    return rng.choices(cands, ws)[0]


def theme_sentence(rng: random.Random, tid: str, lang: str, negated: bool) -> str:
    tpl = [t for t, n in THEME_INDEX[tid][4][lang] if n == negated]
    return rng.choice(tpl)


def make_verbatim(rng: random.Random, sent: str, lang: str, ctx: dict):
    """Return (text, [(theme_id, negated)]) with 8..25 words and no comma."""
    u = rng.random()
    parts, labels = [], []
    if sent == "negative":
        plan = [("pain", False)] if u < 0.85 else [("praise", True)]
    elif sent == "neutral":
        plan = [("pain", False)] if u < 0.55 else ([("praise", False)] if u < 0.90 else [])
    else:
        plan = [("praise", False)] if u < 0.80 else ([("pain", True)] if u < 0.88 else [])
    if plan and rng.random() < 0.35:
        plan.append((plan[0][0] if not plan[0][1] else ("pain" if plan[0][0] == "praise" else "praise"), False))
    used = []
    for group, neg in plan:
        if neg and not any(n for t in THEMES if t[2] == group for _, n in t[4][lang]):
            group, neg = ("praise" if group == "pain" else "pain"), False  # no negated form in lang
        tid = pick_theme(rng, group, ctx, used, lang, neg)
        used.append(tid)
        parts.append(theme_sentence(rng, tid, lang, neg))
        labels.append((tid, neg))
    if not parts:
        parts.append(rng.choice(UNTHEMED[lang]))
    text = " ".join(parts)
    fillers = list(FILLERS[lang])
    while fillers and (len(text.split()) < 8 or rng.random() < 0.25):
        f = rng.choice(fillers)
        fillers.remove(f)
        if len(text.split()) + len(f.split()) > 25:
            break
        text = text + " " + f if rng.random() < 0.7 else f + " " + text
    text = text.replace("[", "").replace("]", "")
    v = rng.random()
    if lang != "en" and v < 0.20:
        text = strip_accents(text)  # typed without accents
    w = rng.random()
    if w < 0.08:
        text = text.lower()
    elif w < 0.11:
        text = text.upper()
    return text, labels


def generate(seed: int = SEED, n_rows: int = N_ROWS):
    """Return a dict with the rows (lists of strings in COLUMNS order), the invalid-row manifest,
    the planted-pattern manifest, the daily invitations and the verbatim labels."""
    rng = random.Random(seed)
    rng_x = random.Random(seed * 7919 + 1)  # the second stream: everything added in version 2
    pools, used_ids = make_customers(rng, rng_x)
    # Teams, agents and their small fixed effects.
    agents = {}  # team -> [(agent_id, effect)]
    k = 1
    for name, _reg, n_agents, _eff, _rr in TEAMS:
        agents[name] = [(f"A{k + j:03d}", rng_x.gauss(0.0, AGENT_SD)) for j in range(n_agents)]
        k += n_agents
    team_info = {t[0]: t for t in TEAMS}
    region_teams = {r: [t for t in TEAMS if t[1] == r] for r in REGIONS}

    n_added = sum(ADDED_COUNTS.values())
    n_organic = n_rows - n_added
    records = []  # dicts
    taken: dict[str, list[dt.date]] = defaultdict(list)
    generated = Counter()   # (date, team) -> responses before selective filtering
    suppressed = Counter()  # (date, team) -> responses filtered away by the manipulated team

    def latent(d, seg, reg, chan, prod, team, agent_eff, cust_eff, qi, q):
        mu = (SEGMENT_EFFECT[seg] + REGION_EFFECT[reg] + CHANNEL_EFFECT[chan]
              + PRODUCT_EFFECT[prod] + SEASON_EFFECT[q] + TREND_PER_QUARTER * qi
              + outage_effect(d, reg) + launch_effect(d, prod) + DOW_EFFECT[d.weekday()]
              + team_info[team][3] + agent_eff)
        return mu + cust_eff + rng.gauss(0.0, 1.0)

    for qi, ((year, q), nq) in enumerate(zip(QUARTERS, allocate(n_organic, QUARTER_WEIGHTS))):
        days = quarter_days(year, q)
        day_w = [0.4 if d.weekday() >= 5 else 1.0 for d in days]
        reg_w = [w * (OUTAGE_VOLUME_FACTOR if (r == OUTAGE_REGION and (year, q) == (2025, 2)) else 1.0)
                 for r, w in zip(REGIONS, REGION_WEIGHTS)]
        kept = 0
        while kept < nq:
            d = rng.choices(days, day_w)[0]
            seg = rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0]
            reg = rng.choices(REGIONS, reg_w)[0]
            cust, cust_eff, dom = pick_customer(rng, pools[(seg, reg)], taken, d)
            chan = rng.choices(CHANNELS, CHANNEL_WEIGHTS[seg])[0]
            prod = rng.choices(PRODUCT_LINES, PRODUCT_WEIGHTS[seg])[0]
            rt = region_teams[reg]
            team = rng_x.choices([t[0] for t in rt], [t[2] for t in rt])[0]
            agent, agent_eff = rng_x.choice(agents[team])
            z = latent(d, seg, reg, chan, prod, team, agent_eff, cust_eff, qi, q)
            ans = read_answers(rng, rng_x, z, chan)
            generated[(d, team)] += 1
            manipulated = team == COACH_TEAM and d >= COACH_DATE
            if manipulated:
                if int(ans["nps"]) <= 6 and rng_x.random() < SUPPRESS_P:
                    suppressed[(d, team)] += 1  # the response never reaches the data set
                    continue
                ans = read_answers(rng, rng_x, COACH_CENTER + COACH_SHRINK * (z - COACH_CENTER), chan)
            for col, rate in MISSING_RATE.items():
                if rng.random() < rate:
                    ans[col] = ""
            taken[cust].append(d)
            kept += 1
            records.append({"date": d, "customer_id": cust, "segment": seg, "region": reg, "channel": chan,
                            "product_line": prod, "nps": ans["nps"], "csat": ans["csat"], "ces": ans["ces"],
                            "sentiment": ans["sentiment"], "team": team, "agent_id": agent,
                            "completion_seconds": str(round(COMPLETION_MIN + math.exp(
                                rng_x.gauss(math.log(COMPLETION_MEDIAN_EXTRA), 0.55)))),
                            "email_domain": dom, "grid": ans["grid"], "verbatim": "", "z": z,
                            "kind": "organic", "manipulated": manipulated, "labels": None, "lang": ""})

    # Verbatims (about 30 % of the rows with a comment label).
    for r in records:
        if r["sentiment"] == "" or rng_x.random() >= VERBATIM_RATE[r["sentiment"]]:
            continue
        lang = "en"
        u = rng_x.random()
        for lg, p in LANGUAGE_SHARE.get(r["region"], []):
            if u < p:
                lang = lg
                break
            u -= p
        ctx = {}
        d = r["date"]
        if r["product_line"] == "Payments":
            ctx.update(billing_errors=2.0, hidden_fees=1.5, slow_refund=2.0)
        if r["product_line"] == "Mobile App":
            ctx.update(app_crashes=2.0, login_problems=1.5, confusing_ui=1.5)
            if LAUNCH_START <= d <= LAUNCH_END:
                ctx["app_crashes"] = LAUNCH_CRASH_MULT
        if r["channel"] == "phone":
            ctx.update(long_wait=2.5, repeat_contact=2.0)
        if r["channel"] == "in-app":
            ctx["easy_to_use"] = 1.5
        if r["segment"] == "Consumer":
            ctx["slow_delivery"] = 1.5
        if r["region"] == OUTAGE_REGION and OUTAGE_START <= d <= OUTAGE_RECOVERED:
            ctx["service_outage"] = OUTAGE_THEME_MULT if d <= OUTAGE_FIXED else OUTAGE_THEME_MULT / 4
        r["verbatim"], r["labels"] = make_verbatim(rng_x, r["sentiment"], lang, ctx)
        r["lang"] = lang

    # Scripted near-duplicate praise in the manipulated team.
    cands = [r for r in records if r["manipulated"] and r["sentiment"] == "positive"]
    for r in rng_x.sample(cands, SCRIPTED_VERBATIMS):
        name = SCRIPT_NAMES[int(r["agent_id"][1:]) % len(SCRIPT_NAMES)]
        r["verbatim"] = (f"{name} was {rng_x.choice(SCRIPT_ADJ)} and {rng_x.choice(SCRIPT_VERB)} everything "
                         f"on the first call. {rng_x.choice(SCRIPT_END)}")
        r["labels"], r["lang"], r["kind"] = [], "en", "scripted_verbatim"

    # ---- planted data-quality rows -------------------------------------------------------------
    free_ids = sorted(set(range(100_000, 1_000_000)) - used_ids)
    fresh = iter(rng_x.sample(free_ids, n_added))
    field_days = [FIELD_START + dt.timedelta(days=i) for i in range((FIELD_END - FIELD_START).days + 1)]

    def fresh_row(d, kind, **over):
        seg = over.get("segment") or rng_x.choices(SEGMENTS, SEGMENT_WEIGHTS)[0]
        reg = over.get("region") or rng_x.choices(REGIONS, REGION_WEIGHTS)[0]
        chan = over.get("channel") or rng_x.choices(CHANNELS, CHANNEL_WEIGHTS[seg])[0]
        prod = rng_x.choices(PRODUCT_LINES, PRODUCT_WEIGHTS[seg])[0]
        rt = region_teams[reg]
        team = rng_x.choices([t[0] for t in rt], [t[2] for t in rt])[0]
        agent, _ = rng_x.choice(agents[team])
        z = rng_x.gauss(0.0, 1.0)
        ans = read_answers(rng_x, rng_x, z, chan)
        names, w = zip(*WEBMAIL[reg])
        dom = rng_x.choices(names, w)[0] if seg == "Consumer" else company_domain(rng_x, reg)
        return {"date": d, "customer_id": over.get("customer_id") or f"C{next(fresh)}", "segment": seg,
                "region": reg, "channel": chan, "product_line": prod, "nps": ans["nps"], "csat": ans["csat"],
                "ces": ans["ces"], "sentiment": ans["sentiment"], "team": team, "agent_id": agent,
                "completion_seconds": str(round(COMPLETION_MIN + math.exp(
                    rng_x.gauss(math.log(COMPLETION_MEDIAN_EXTRA), 0.55)))),
                "email_domain": dom, "grid": ans["grid"], "verbatim": "", "z": z, "kind": kind,
                "manipulated": False, "labels": None, "lang": "", "detail": ""}

    added = []
    # Duplicates: the same customer submits again 0-3 days after a clean original.
    srcs = rng_x.sample([i for i, r in enumerate(records) if r["kind"] == "organic"
                         and r["date"] <= FIELD_END - dt.timedelta(days=3)], ADDED_COUNTS["duplicate"])
    for i in srcs:
        src = records[i]
        src["kind"] = "duplicate_source"
        dup = dict(src, grid=list(src["grid"]), kind="duplicate", labels=None, manipulated=False)
        dup["date"] = src["date"] + dt.timedelta(days=rng_x.randrange(4))
        dup["completion_seconds"] = str(round(COMPLETION_MIN + math.exp(
            rng_x.gauss(math.log(COMPLETION_MEDIAN_EXTRA), 0.55))))
        if rng_x.random() < 0.5 and src["nps"] not in ("", "0", "10"):  # a changed mind, one point
            dup["nps"] = str(int(src["nps"]) + rng_x.choice((-1, 1)))
        dup["src"] = src
        added.append(dup)
    # Internal test entries: staff test the survey flow from internal e-mail domains.
    for j in range(ADDED_COUNTS["internal_test"]):
        r = fresh_row(rng_x.choice(field_days), "internal_test", customer_id=f"C{j + 1:06d}")
        r["email_domain"] = INTERNAL_DOMAINS[j % len(INTERNAL_DOMAINS)]
        if j % 2 == 0:
            r["verbatim"] = rng_x.choice(TEST_VERBATIMS)
            r["labels"], r["lang"] = [], "en"
        added.append(r)
    # Responses dated outside the field period (clock or export errors).
    for j, d in enumerate(OUT_OF_PERIOD_DAYS):
        for _ in range(ADDED_COUNTS["out_of_field_period"] // len(OUT_OF_PERIOD_DAYS)):
            added.append(fresh_row(d, "out_of_field_period"))
    # Bots: bursts of identical answer vectors.
    for b, (d, vec) in enumerate(BOT_BURSTS):
        for _ in range(ADDED_COUNTS["bot"] // len(BOT_BURSTS)):
            r = fresh_row(d, "bot", segment="Consumer", channel="web")
            r["nps"], r["csat"], r["ces"], r["sentiment"] = (str(x) for x in vec[:4])
            r["grid"] = [str(x) for x in vec[4:]]
            r["completion_seconds"] = str(rng_x.randrange(70, 81))
            r["detail"] = f"burst {b + 1}"
            added.append(r)
    assert len(added) == n_added, (len(added), n_added)
    records.extend(added)

    # Stable sort by date keeps the generation order within a day (a duplicate follows its original).
    records.sort(key=lambda r: r["date"])
    for i, r in enumerate(records, start=1):
        r["response_id"] = f"R{i:06d}"

    # Plant the invalid rows (one defect each) on clean organic rows.
    rows = [[r["response_id"], r["date"].isoformat(), r["customer_id"], r["segment"], r["region"],
             r["channel"], r["product_line"], r["nps"], r["csat"], r["ces"], r["sentiment"], r["team"],
             r["agent_id"], r["completion_seconds"], r["email_domain"]] + r["grid"] + [r["verbatim"]]
            for r in records]
    idx = {c: i for i, c in enumerate(COLUMNS)}
    organic = [i for i, r in enumerate(records) if r["kind"] == "organic"]
    chosen = rng.sample(organic, sum(c for _, _, c in INVALID_COUNTS))
    invalid = []
    pos = 0
    for defect, col, count in INVALID_COUNTS:
        for row_i in sorted(chosen[pos:pos + count]):
            row = rows[row_i]
            records[row_i]["kind"] = "invalid"
            if defect == "unparseable_date":
                y, m, dd = (int(x) for x in row[idx["date"]].split("-"))
                variant = rng.randrange(4)
                if variant == 0:    # day/month/year instead of ISO
                    value = f"{dd:02d}/{m:02d}/{y}"
                elif variant == 1:  # impossible calendar day
                    value = f"{y}-02-30" if m <= 6 else f"{y}-{m:02d}-32"
                elif variant == 2:  # month 13
                    value = f"{y}-13-{dd:02d}"
                else:               # free text from a broken export
                    value = "unknown"
            else:
                value = INVALID_VALUE[defect]
            row[idx[col]] = value
            invalid.append([row[0], col, value, defect])
        pos += count
    invalid.sort(key=lambda r: r[0])

    # Speeders and straight-liners: modified clean organic rows.
    clean = [i for i, r in enumerate(records) if r["kind"] == "organic"]
    picks = rng_x.sample(clean, PLANTED_COUNTS["speeder"] + PLANTED_COUNTS["straight_liner"])
    for i in picks[:PLANTED_COUNTS["speeder"]]:
        records[i]["kind"] = "speeder"
        rows[i][idx["completion_seconds"]] = str(rng_x.randrange(SPEEDER_RANGE[0], SPEEDER_RANGE[1] + 1))
    for i in picks[PLANTED_COUNTS["speeder"]:]:
        records[i]["kind"] = "straight_liner"
        v = str(rng_x.choice((1, 3, 3, 4, 5, 5, 5)))
        for c in GRID:
            rows[i][idx[c]] = v

    planted = []
    for i, r in enumerate(records):
        k = r["kind"]
        if k in ("organic", "invalid", "duplicate_source"):
            continue
        detail = ""
        if k == "duplicate":
            detail = f"repeats {r['src']['response_id']} ({(r['date'] - r['src']['date']).days} days later)"
        elif k == "speeder":
            detail = f"completion_seconds {rows[i][idx['completion_seconds']]}"
        elif k == "straight_liner":
            detail = "q1..q5 all " + rows[i][idx["q1"]]
        elif k == "internal_test":
            detail = "email_domain " + r["email_domain"]
        elif k == "out_of_field_period":
            detail = "date " + r["date"].isoformat()
        elif k == "bot":
            detail = r["detail"]
        elif k == "scripted_verbatim":
            detail = "team " + r["team"]
        planted.append([r["response_id"], k, detail])

    # Daily invitations per team: responded = organic responses that reached the data set (at their
    # true date); invited = responses before filtering + non-responders ~ Poisson.
    responded = Counter((r["date"], r["team"]) for r in records if r["kind"] in ORGANIC_KINDS)
    mean_gen = defaultdict(list)
    for d in field_days:
        for t in TEAMS:
            mean_gen[(quarter_of(d), d.weekday() >= 5, t[0])].append(generated[(d, t[0])])
    invitations = []
    for d in field_days:
        for name, _reg, _n, _eff, rr in TEAMS:
            g = mean_gen[(quarter_of(d), d.weekday() >= 5, name)]
            lam = sum(g) / len(g) * (1 - rr) / rr
            inv = generated[(d, name)] + poisson(rng_x, lam)
            invitations.append([d.isoformat(), name, str(inv), str(responded[(d, name)])])
            assert responded[(d, name)] == generated[(d, name)] - suppressed[(d, name)]

    # A labelled validation sample of verbatims (the generator's truth).
    lab = [r for r in records if r["labels"] is not None and r["kind"] in ("organic", "speeder", "straight_liner")]
    labels = []
    for r in sorted(rng_x.sample(lab, LABEL_SAMPLE), key=lambda r: r["response_id"]):
        if not r["labels"]:
            labels.append([r["response_id"], r["lang"], "", ""])
        for tid, neg in r["labels"]:
            labels.append([r["response_id"], r["lang"], tid, "true" if neg else "false"])
    return {"rows": rows, "invalid": invalid, "planted": planted, "invitations": invitations,
            "labels": labels, "records": records}


def themes_json() -> str:
    themes = []
    for tid, label, pol, _w, tpl in THEMES:
        phrases = []
        for lang, ts in tpl.items():
            for t, _neg in ts:
                p = t[t.index("[") + 1:t.index("]")]
                if {"text": p, "language": lang} not in phrases:
                    phrases.append({"text": p, "language": lang})
        examples = [{"text": t.replace("[", "").replace("]", ""), "language": lang, "negated": neg}
                    for lang, ts in tpl.items() for t, neg in ts]
        themes.append({"id": tid, "label": label, "polarity": pol, "phrases": phrases, "examples": examples})
    doc = {
        "taxonomy": "cx-sample-themes",
        "version": "2025.1",
        "description": ("The theme phrases used by generate_sample.py to write the verbatim column of "
                        "cx_survey_sample.csv. Each theme has a polarity (pain = a problem, praise = a "
                        "strength), its phrases per language (the exact text that occurs in the verbatims, "
                        "before case changes and accent stripping) and every example sentence used; "
                        "negated=true marks an example where a cue in front of the phrase negates it. "
                        "Phrases such as 'never arrived' or 'cannot log in' contain their negation and "
                        "are not negated mentions."),
        "languages": ["en", "fr", "de", "es"],
        "negation_cues": NEGATION_CUES,
        "unthemed_examples": UNTHEMED,
        "filler_sentences": FILLERS,
        "themes": themes,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


# ----------------------------------------------------------------------------------------------
# A small reference validator and the summary quoted in README.md.

SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
LABELS = {"positive", "neutral", "negative"}


def validate_row(row: dict[str, str]) -> list[tuple[str, str]]:
    """Return [(column, problem)] for one row read from the CSV (empty = valid)."""
    problems = []
    try:
        dt.datetime.strptime(row["date"], "%Y-%m-%d")
    except ValueError:
        problems.append(("date", "unparseable_date"))
    for col, (lo, hi) in SCALES.items():
        v = row[col]
        if v == "":
            continue
        try:
            x = float(v)
        except ValueError:
            problems.append((col, "not_a_number"))
            continue
        if x != math.floor(x):
            problems.append((col, "non_integer"))
        elif not lo <= x <= hi:
            problems.append((col, "out_of_scale"))
    if row["sentiment"] not in LABELS and row["sentiment"] != "":
        problems.append(("sentiment", "unknown_label"))
    return problems


def nps_of(values: list[int]) -> float:
    n = len(values)
    p = sum(v >= 9 for v in values)
    d = sum(v <= 6 for v in values)
    return 100.0 * (p - d) / n if n else float("nan")


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


def summary(csv_text: str, planted: list, invitations: list, labels: list) -> str:
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    out = [f"rows: {len(rows)}"]
    bad = {}
    for r in rows:
        p = validate_row(r)
        if p:
            bad[r["response_id"]] = p
    kinds = Counter()
    for r in rows:
        for col, prob in bad.get(r["response_id"], []):
            kinds[f"{col}:{prob}:{r[col]}" if prob != "unparseable_date" else f"{col}:{prob}"] += 1
    out.append(f"invalid rows: {len(bad)} ({100 * len(bad) / len(rows):.2f} %)")
    for k, v in sorted(kinds.items()):
        out.append(f"  {k}: {v}")
    out.append("missing (blank) answers: " + ", ".join(
        f"{c} {sum(r[c] == '' for r in rows)} ({100 * sum(r[c] == '' for r in rows) / len(rows):.2f} %)"
        for c in ("nps", "csat", "ces", "sentiment")))
    kind_of = {p[0]: p[1] for p in planted}
    out.append("planted kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(kind_of.values()).items())))
    valid = [r for r in rows if r["response_id"] not in bad]
    for r in valid:
        y, m = int(r["date"][:4]), int(r["date"][5:7])
        r["quarter"] = f"{y}-Q{(m - 1) // 3 + 1}"
        r["d"] = dt.date.fromisoformat(r["date"])
    dq_excluded = {"duplicate", "speeder", "straight_liner", "internal_test", "out_of_field_period", "bot"}
    cleanq = [r for r in valid if kind_of.get(r["response_id"]) not in dq_excluded]
    out.append(f"valid rows {len(valid)}, after the data-quality rules {len(cleanq)}")

    def table(title, key, data=valid):
        out.append(title)
        groups = defaultdict(list)
        cnt = Counter()
        for r in data:
            kk = key(r)
            if kk is None:
                continue
            cnt[kk] += 1
            if r["nps"] != "":
                groups[kk].append(int(r["nps"]))
        for k in sorted(cnt):
            out.append(f"  {k:<22} rows {cnt[k]:>6}  nps answers {len(groups[k]):>6}  NPS {nps_of(groups[k]):6.1f}")

    qcount = Counter()
    for r in rows:
        if r["response_id"] in bad and any(p == "unparseable_date" for _, p in bad[r["response_id"]]):
            qcount["(unparseable date)"] += 1
        else:
            y, m = int(r["date"][:4]), int(r["date"][5:7])
            qcount[f"{y}-Q{(m - 1) // 3 + 1}"] += 1
    out.append("all rows per quarter: " + ", ".join(f"{k} {v}" for k, v in sorted(qcount.items())))
    table("valid rows, NPS by quarter:", lambda r: r["quarter"])
    table("by segment:", lambda r: r["segment"])
    table("by region:", lambda r: r["region"])
    table("by channel:", lambda r: r["channel"])
    table("by product line:", lambda r: r["product_line"])
    table("by region x quarter:", lambda r: f"{r['region']} {r['quarter']}")
    table("EMEA 2025 by month:", lambda r: r["date"][:7] if r["region"] == "EMEA" and r["date"] < "2026" and r["date"] >= "2025" else None)
    table("by day of week (after data-quality rules):", lambda r: f"{r['d'].weekday()} {r['d'].strftime('%a')}", cleanq)
    table("Mobile App around the launch (after dq rules):", lambda r: (
        None if r["product_line"] != "Mobile App" or not ("2024-04-01" <= r["date"] <= "2024-06-30") else
        ("1 before 04-01..05-13" if r["date"] < "2024-05-14" else "2 launch 05-14..06-10" if r["date"] <= "2024-06-10"
         else "3 after 06-11..06-30")), cleanq)
    table("Mobile App weekly around the launch:", lambda r: (
        None if r["product_line"] != "Mobile App" or not ("2024-04-01" <= r["date"] <= "2024-07-21") else
        (r["d"] - dt.timedelta(days=r["d"].weekday())).isoformat()), cleanq)
    table("all products around the launch (after dq rules):", lambda r: (
        None if not ("2024-04-16" <= r["date"] <= "2024-07-08") else
        ("1 4 weeks before" if r["date"] < "2024-05-14" else "2 launch" if r["date"] <= "2024-06-10"
         else "3 4 weeks after")), cleanq)

    # Teams.
    def sd(xs):
        return statistics.pstdev(xs) if len(xs) > 1 else float("nan")
    out.append("teams (after dq rules): rows, NPS, CSAT top-2, nps SD, before/after COACH_DATE (NA teams) "
               "and whole period:")
    agents_of = defaultdict(set)
    for r in rows:
        agents_of[r["team"]].add(r["agent_id"])
    for t in TEAMS:
        name = t[0]
        line = f"  {name:<10} {t[1]:<5} agents {len(agents_of[name]):>2}"
        for lab, f in (("pre", lambda r: r["d"] < COACH_DATE and r["d"] >= dt.date(2025, 1, 1)),
                       ("post", lambda r: r["d"] >= COACH_DATE), ("all", lambda r: True)):
            sub = [r for r in cleanq if r["team"] == name and f(r)]
            n = [int(r["nps"]) for r in sub if r["nps"] != ""]
            c = [int(r["csat"]) for r in sub if r["csat"] != ""]
            line += (f" | {lab} n {len(sub):>5} NPS {nps_of(n):6.1f} top2 {sum(x >= 4 for x in c) / len(c):.3f}"
                     f" sd {sd(n):.2f} top-box9-10 {sum(x >= 9 for x in n) / len(n):.3f}")
        out.append(line)
    # Invitations.
    inv = defaultdict(lambda: [0, 0])
    for d, team, i, rsp in invitations:
        key = (team, "2025H1pre" if "2025-01-01" <= d < COACH_DATE.isoformat() else
               "post" if d >= COACH_DATE.isoformat() else "2024")
        inv[key][0] += int(i)
        inv[key][1] += int(rsp)
    out.append("response rate (responded / invited): 2024, 2025-01-01..coach-1, coach..end:")
    for t in TEAMS:
        vals = [inv[(t[0], k)] for k in ("2024", "2025H1pre", "post")]
        out.append(f"  {t[0]:<10} " + "  ".join(f"{v[1]}/{v[0]} = {v[1] / v[0]:.3f}" for v in vals))
    tot_i = sum(int(x[2]) for x in invitations)
    tot_r = sum(int(x[3]) for x in invitations)
    out.append(f"invitations lines {len(invitations)}, invited {tot_i}, responded {tot_r}")
    # Data-quality facts.
    comp = sorted(int(r["completion_seconds"]) for r in rows)
    org_comp = sorted(int(r["completion_seconds"]) for r in rows if kind_of.get(r["response_id"]) != "speeder")
    out.append(f"completion_seconds: median all rows {statistics.median(comp)}, min of non-speeders "
               f"{org_comp[0]}, rows under 30 s {sum(c < 30 for c in comp)}, under 55 s {sum(c < 55 for c in comp)}")
    out.append(f"straight rows (q1..q5 equal): {sum(len({r[q] for q in GRID}) == 1 for r in rows)}")
    out.append(f"internal-domain rows: {sum(r['email_domain'] in INTERNAL_DOMAINS for r in rows)}")
    out.append(f"rows outside the field period: {sum(not (FIELD_START.isoformat() <= r['date'] <= FIELD_END.isoformat()) for r in valid)}")
    # Duplicates within 7 days (keep the first, flag later ones within 7 days of the last kept).
    by_c = defaultdict(list)
    for r in valid:
        by_c[r["customer_id"]].append(r)
    dups = 0
    min_gap = 10 ** 9
    for c, rs in by_c.items():
        rs.sort(key=lambda r: (r["date"], r["response_id"]))
        last = None
        for r in rs:
            if last is not None and (r["d"] - last).days <= 7:
                dups += 1
                continue
            if last is not None and kind_of.get(r["response_id"]) != "duplicate":
                min_gap = min(min_gap, (r["d"] - last).days)
            last = r["d"]
    out.append(f"same customer within 7 days (valid-date rows): {dups}; smallest other gap {min_gap} days")
    vec = Counter()
    for r in rows:
        vec[(r["date"], r["nps"], r["csat"], r["ces"], r["sentiment"], *(r[q] for q in GRID))] += 1
    top = vec.most_common(5)
    out.append("largest same-date identical answer vectors: " + "; ".join(f"{k[0]} {k[1:]} x{v}" for k, v in top))
    org_top = max(v for k, v in vec.items() if v < 30)
    out.append(f"largest same-date identical vector below the bursts: {org_top}")
    out.append(f"distinct customers: {len({r['customer_id'] for r in rows})}; max responses per customer "
               f"{max(Counter(r['customer_id'] for r in rows).values())}")
    out.append(f"distinct agents: {len({r['agent_id'] for r in rows})}; email domains {len({r['email_domain'] for r in rows})}")
    # Verbatims.
    vb = [r for r in rows if r["verbatim"] != ""]
    wc = [len(r["verbatim"].split()) for r in vb]
    out.append(f"verbatims: {len(vb)} ({100 * len(vb) / len(rows):.1f} %), words {min(wc)}..{max(wc)} mean {sum(wc) / len(wc):.1f}")
    out.append(f"double quotes in the file: {csv_text.count(chr(34))}; lines whose plain split on ',' gives "
               f"{len(COLUMNS)} fields: {sum(len(x.split(',')) == len(COLUMNS) for x in csv_text.splitlines())}")
    sc = Counter(r["verbatim"] for r in vb if kind_of.get(r["response_id"]) == "scripted_verbatim")
    out.append(f"scripted verbatims {sum(sc.values())} distinct {len(sc)}: " + " | ".join(list(sc)[:3]))
    lt = Counter(x[2] for x in labels)
    out.append(f"labels lines {len(labels)}, languages {dict(Counter(x[1] for x in labels))}, negated {sum(x[3] == 'true' for x in labels)}")
    out.append("label theme counts: " + ", ".join(f"{k or '(none)'} {v}" for k, v in sorted(lt.items())))
    code = {"positive": 1, "neutral": 0, "negative": -1}
    compl = [r for r in valid if all(r[c] != "" for c in ("nps", "csat", "ces", "sentiment"))]
    cols = {"nps": [int(r["nps"]) for r in compl], "csat": [int(r["csat"]) for r in compl],
            "ces": [int(r["ces"]) for r in compl], "sentiment": [code[r["sentiment"]] for r in compl]}
    for q in GRID:
        cols[q] = [int(r[q]) for r in compl]
    out.append(f"Pearson correlations on {len(compl)} complete valid rows:")
    names = list(cols)
    for i, a in enumerate(names[:4]):
        for b in names[i + 1:]:
            out.append(f"  {a}-{b}: {pearson(cols[a], cols[b]):.3f}")
    csat_v = [int(r["csat"]) for r in valid if r["csat"] != ""]
    ces_v = [int(r["ces"]) for r in valid if r["ces"] != ""]
    sent = Counter(r["sentiment"] for r in valid if r["sentiment"] != "")
    allnps = [int(r["nps"]) for r in valid if r["nps"] != ""]
    out.append(f"NPS {nps_of(allnps):.1f} ({len(allnps)} answers); CSAT top-2-box {sum(v >= 4 for v in csat_v) / len(csat_v):.3f}; "
               f"CES mean {sum(ces_v) / len(ces_v):.3f}; "
               f"net sentiment {(sent['positive'] - sent['negative']) / sum(sent.values()):.3f}")
    return "\n".join(out)


def theme_summary(records) -> str:
    out = ["verbatim themes (generator truth, all rows with themes):"]
    cnt, neg = Counter(), Counter()
    low = Counter()
    n_low = n_all = 0
    for r in records:
        if not r["labels"] and r["labels"] != []:
            continue
        n_all += 1
        lo = r["nps"] not in ("",) and r["nps"].lstrip("-").replace(".", "").isdigit() and float(r["nps"]) <= 6
        n_low += lo
        for tid, ng in r["labels"]:
            cnt[tid] += 1
            neg[tid] += ng
            low[tid] += lo
    out.append(f"  verbatims {n_all}, with nps 0-6 {n_low}; unthemed {sum(1 for r in records if r['labels'] == [])}")
    for tid, _l, pol, _w, _t in THEMES:
        out.append(f"  {tid:<20} {pol:<6} {cnt[tid]:>5} negated {neg[tid]:>4} detractor share {low[tid] / max(cnt[tid], 1):.2f}")
    lang = Counter(r["lang"] for r in records if r["labels"] is not None)
    out.append("  languages: " + ", ".join(f"{k} {v}" for k, v in sorted(lang.items())))
    # Event themes by window.
    def share(tid, f):
        sub = [r for r in records if r["labels"] and f(r)]
        return sum(any(t == tid for t, _ in r["labels"]) for r in sub), len(sub)
    a = share("app_crashes", lambda r: r["product_line"] == "Mobile App" and LAUNCH_START <= r["date"] <= LAUNCH_END)
    b = share("app_crashes", lambda r: r["product_line"] == "Mobile App" and r["date"].year == 2024 and not LAUNCH_START <= r["date"] <= LAUNCH_END)
    out.append(f"  app_crashes among Mobile App themed verbatims: launch window {a[0]}/{a[1]}, rest of 2024 {b[0]}/{b[1]}")
    a = share("service_outage", lambda r: r["region"] == "EMEA" and OUTAGE_START <= r["date"] <= OUTAGE_FIXED)
    b = share("service_outage", lambda r: r["region"] == "EMEA" and not OUTAGE_START <= r["date"] <= OUTAGE_RECOVERED)
    out.append(f"  service_outage among EMEA themed verbatims: outage {a[0]}/{a[1]}, outside the outage {b[0]}/{b[1]}")
    return "\n".join(out)


OUTPUTS = {
    "out": "cx_survey_sample.csv",
    "invalid_out": "cx_survey_sample_invalid.csv",
    "planted_out": "cx_survey_sample_planted.csv",
    "invitations_out": "cx_daily_invitations.csv",
    "labels_out": "cx_verbatim_labels.csv",
    "themes_out": "verbatim_themes.json",
}


def main(argv=None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--rows", type=int, default=N_ROWS)
    for opt, name in OUTPUTS.items():
        ap.add_argument("--" + opt.replace("_", "-"), default=os.path.join(here, name))
    ap.add_argument("--summary", action="store_true", help="print the data set facts")
    ap.add_argument("--check", action="store_true",
                    help="regenerate and compare with the files on disk instead of writing")
    args = ap.parse_args(argv)

    g = generate(args.seed, args.rows)
    texts = {
        "out": to_csv(COLUMNS, g["rows"]),
        "invalid_out": to_csv(["response_id", "column", "value", "defect"], g["invalid"]),
        "planted_out": to_csv(["response_id", "kind", "detail"], g["planted"]),
        "invitations_out": to_csv(["date", "team", "invited", "responded"], g["invitations"]),
        "labels_out": to_csv(["response_id", "language", "theme_id", "negated"], g["labels"]),
        "themes_out": themes_json(),
    }
    if args.check:
        ok = True
        for opt, text in texts.items():
            path = getattr(args, opt)
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    same = f.read() == text
            except FileNotFoundError:
                same = False
            print(f"{os.path.basename(path)}: {'identical' if same else 'DIFFERS'}")
            ok &= same
        return 0 if ok else 1
    for opt, text in texts.items():
        path = getattr(args, opt)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        print(f"wrote {path} ({len(text.encode()):,} bytes)")
    if args.summary:
        print(summary(texts["out"], g["planted"], g["invitations"], g["labels"]))
        print(theme_summary(g["records"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
