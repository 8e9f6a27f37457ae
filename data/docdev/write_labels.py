# Writes data/docdev/docdev.labels.jsonl from labels decided by reading each text (no rules):
# Python only locates the chosen substrings (offsets) and writes JSON lines.
import json
SRC = {
 "syria_obama": "NewsMTSC train.jsonl, article allsides_5058_2135, sentences 2, 5, 13",
 "kremlin_assad": "NewsMTSC train.jsonl, article polusa_v1_4437245_-1, sentences 6, 7, 8",
 "putin_trump": "NewsMTSC train.jsonl, article allsides_1644_664, sentences 5, 7, 8",
 "kerry_israel": "NewsMTSC train.jsonl, article allsides_4491_1878, sentences 0 (headline), 1, 6, 7",
 "cameo_north_korea": "ConfliBERT cameo_class_train.tsv, 4 sentences about North Korea",
 "cameo_iran": "ConfliBERT cameo_class_train.tsv, 6 sentences about Iran",
}
# (doc, statement text, quote_type, speaker surface, speaker_actor, [targets]); target = (surface, actor, code, stance, sentiment, note)
L = [
 ("syria_obama", "a Russian offer to push Syrian President Bashar al-Assad to place chemical weapons under international control offered the possibility of heading off the type of limited military strike he is considering against Syria", "indirect", "Obama", "United States", [
   ("Russian", "Russia", "RUS", "conciliatory", "positive", "welcomes Russia's offer as a way to avoid a strike"),
   ("Syria", "Syria", "SYR", "threatening", "negative", "a military strike against Syria is under consideration")]),
 ("syria_obama", "any deal with Assad would require verification that he keep his word", "indirect", "He", "United States", [
   ("Assad", "Syria", "SYR", "neutral", "neutral", "a condition on a deal, no penalty stated")]),
 ("syria_obama", "If we fail to act, the Assad regime will see no reason to stop using chemical weapons", "direct", "Obama", "United States", [
   ("the Assad regime", "Syria", "SYR", "threatening", "negative", "argues for acting (the strike) against the regime; implied force")]),
 ("kremlin_assad", "Assad was called to Russia to get him to agree to potential peace initiatives drafted by Russia, Iran and Turkey", "indirect", "The Kremlin", "Russia", [
   ("Assad", "Syria", "SYR", "conciliatory", "neutral", "invited to agree to peace initiatives"),
   ("Iran", "Iran", "IRN", "conciliatory", "positive", "co-author of the peace initiatives (partner)"),
   ("Turkey", "Turkey", "TUR", "conciliatory", "positive", "co-author of the peace initiatives (partner)")]),
 ("putin_trump", "he hoped to work with Mr. Trump in an atmosphere of mutual respect without interfering in each other’s internal affairs", "indirect", "Mr. Putin", "Russia", [
   ("Mr. Trump", "United States", "USA", "conciliatory", "positive", "")]),
 ("putin_trump", "President-elect Trump noted to President Putin that he is very much looking forward to having a strong and enduring relationship with Russia and the people of Russia.", "direct", "The Trump transition team", "United States", [
   ("President Putin", "Russia", "RUS", "conciliatory", "positive", "")]),
 ("putin_trump", "he hoped to have a constructive relationship with Russia", "indirect", "Mr. Trump", "United States", [
   ("Russia", "Russia", "RUS", "conciliatory", "positive", "")]),
 ("putin_trump", "he insisted during one of his debates with Hillary Clinton that he was “no puppet” of Mr. Putin", "indirect", "he", "United States", [
   ("Mr. Putin", "Russia", "RUS", "neutral", "negative", "rejects being Putin's puppet; Clinton is only the debate setting (not a target)")]),
 ("kerry_israel", "Israel could become an “apartheid” nation if it does not reach a peace deal to create a separate Palestinian state", "indirect", "Secretary of State John F. Kerry", "United States", [
   ("Israel", "Israel", "ISR", "neutral", "negative", "warning of a bad outcome, no penalty from the speaker"),
   ("Palestinian", "Palestine", "PSE", "neutral", "positive", "advocates a Palestinian state")]),
 ("kerry_israel", "didn’t deny that Kerry made the comment", "indirect", "Jen Psaki, a State Department spokeswoman", "United States", []),
 ("kerry_israel", "his words on the dangers of a stalemate reflect his concerns about what could happen to Israel in the absence of a deal, rather than his views about its current condition", "indirect", "she", "United States", [
   ("Israel", "Israel", "ISR", "neutral", "positive", "concern for Israel's future (sympathy)")]),
 ("cameo_north_korea", "North Korea must do something meaningful on denuclearization before he would support lifting economic sanctions", "indirect", "President Donald Trump", "United States", [
   ("North Korea", "North Korea", "PRK", "neutral", "neutral", "hard case: demand with sanctions kept in place vs conditional offer to lift them; prefer neutral")]),
 ("cameo_north_korea", "North Korea must first disarm before it can receive aid", "indirect", "The U.S.", "United States", [
   ("North Korea", "North Korea", "PRK", "neutral", "neutral", "demand with conditional aid, no penalty")]),
 ("cameo_north_korea", "North Korea has threatened to shell the 30-foot Christmas tree a Christian group plans to put up on a 400-foot hill on the border", "indirect", "North Korea", "North Korea", [
   ("a Christian group", "Christian group", "", "threatening", "negative", "private group singled out (guideline 14)")]),
 ("cameo_north_korea", "North Korea threatened to shell South Korean sites if Seoul carries out an operation to make anti-Pyongyang broadcasts and send leaflets across their heavily armed border as its defense minister had suggested earlier this month in parliament", "indirect", "North Korea", "North Korea", [
   ("South Korean", "South Korea", "KOR", "threatening", "negative", "conditional threat")]),
 ("cameo_iran", "he hopes Japan and the European Union will persuade newly inaugurated U.S. President Joe Biden to lift crippling economic sanctions imposed on Tehran by his predecessor Donald Trump", "indirect", "Iran's foreign minister", "Iran", [
   ("Japan", "Japan", "JPN", "conciliatory", "positive", "asked for help (partner)"),
   ("European Union", "European Union", "EU", "conciliatory", "positive", "asked for help (partner)"),
   ("U.S.", "United States", "USA", "neutral", "negative", "asked to lift 'crippling' sanctions; criticism, no threat")]),
 ("cameo_iran", "he would call on the UN Security Council to restore all nuclear-related sanctions on Iran", "indirect", "President Donald Trump", "United States", [
   ("Iran", "Iran", "IRN", "threatening", "negative", "call to punish (hard case 8)"),
   ("UN Security Council", "United Nations", "UN", "neutral", "neutral", "asked to act (target, not venue); asked to rule")]),
 ("cameo_iran", "Iran has threatened to close all borders with Iraqi Kurdistan should the semi-autonomous region proceed with a planned referendum on independence from Iraq", "indirect", "Iran", "Iran", [
   ("Iraqi Kurdistan", "Iraqi Kurdistan", "", "threatening", "negative", "conditional threat to the region"),
   ("Iraq", "Iraq", "IRQ", "neutral", "neutral", "only named as the state the region would leave")]),
 ("cameo_iran", "Iran threatened to attack US Army base and kill top general", "indirect", "Iran", "Iran", [
   ("US", "United States", "USA", "threatening", "negative", "")]),
 ("cameo_iran", "Trump threatened to attack 52 Iranian sites if Iran strikes any Americans, or American assets", "indirect", "Trump", "United States", [
   ("Iranian", "Iran", "IRN", "threatening", "negative", "conditional threat")]),
 ("cameo_iran", "EU must mediate US-Iran conflict", "indirect", "United Nations", "United Nations", [
   ("EU", "European Union", "EU", "conciliatory", "neutral", "asked to mediate"),
   ("US", "United States", "USA", "conciliatory", "neutral", "appeal for mediation of their conflict (de-escalation)"),
   ("Iran", "Iran", "IRN", "conciliatory", "neutral", "appeal for mediation of their conflict (de-escalation)")]),
]
texts = {d: open(f"data/docdev/{d}.txt", encoding="utf-8").read() for d in SRC}
idx = {}
out = open("data/docdev/docdev.labels.jsonl", "w")
for doc, st, qt, sp, spa, tg in L:
    text = texts[doc]
    start = text.find(st); assert start >= 0 and text.count(st) == 1, (doc, st)
    end = start + len(st)
    assert text.find(sp) >= 0, sp
    i = idx[doc] = idx.get(doc, -1) + 1
    ctx_s = text.rfind(". ", 0, start); ctx_s = 0 if ctx_s < 0 else ctx_s + 2
    ctx_e = text.find(". ", end); ctx_e = len(text.rstrip()) if ctx_e < 0 else ctx_e + 1
    base = {"doc_id": doc, "text": st, "start": start, "end": end, "quote_type": qt, "speaker": sp, "speaker_actor": spa,
            "context": text[ctx_s:ctx_e].strip(), "source": SRC[doc]}
    if not tg:
        out.write(json.dumps(dict(base, id=f"{doc}-{i:02d}", target=None, target_actor=None, target_code=None, stance=None, sentiment=None, note="statement with no target other than the speaker's side"), ensure_ascii=False) + "\n")
    for n, (t, ta, tc, s, m, note) in enumerate(tg):
        assert t in st, (t, st)
        out.write(json.dumps(dict(base, id=f"{doc}-{i:02d}-{tc or n}", target=t, target_actor=ta, target_code=tc, stance=s, sentiment=m, note=note), ensure_ascii=False) + "\n")
out.close()
print(sum(1 for _ in open("data/docdev/docdev.labels.jsonl")), "pairs,", len(L), "statements")
