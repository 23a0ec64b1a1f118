package org.unmask.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.MaskFillResult.Candidate;
import org.unmask.core.request.MaskFillResult.Slot;
import org.unmask.core.request.MaskFillResult.TargetScore;
import org.unmask.server.explore.Explorer;
import org.unmask.server.explore.Explorer.Association;
import org.unmask.server.explore.Explorer.Completion;
import org.unmask.server.explore.Explorer.GroupCompletions;
import org.unmask.server.explore.Explorer.OccupationScore;
import org.unmask.server.explore.SlotTemplate;
import org.unmask.server.http.ApiException;
import org.unmask.server.http.Exchanges;
import org.unmask.server.http.JsonFields;
import org.unmask.server.http.Router;
import org.unmask.server.model.MaskFiller;

/**
 * The model endpoints: {@code POST /api/fill-mask} (Hugging Face fill-mask fields), and the explorer's
 * {@code POST /api/explore} (completions per group term) and {@code POST /api/association}
 * (per-occupation log-probability ratio).
 */
final class FillMaskEndpoints {
    private static final int DEFAULT_TOP_K = 5;

    private final MaskFiller filler;
    private final Explorer explorer;
    private final String modelId;

    FillMaskEndpoints(MaskFiller filler, Explorer explorer, String modelId) {
        this.filler = filler;
        this.explorer = explorer;
        this.modelId = modelId;
    }

    void register(Router router) {
        router.add("POST", "/api/fill-mask", (ex, p) -> fillMask(ex));
        router.add("POST", "/api/explore", (ex, p) -> explore(ex));
        router.add("POST", "/api/association", (ex, p) -> association(ex));
    }

    private void fillMask(HttpExchange ex) throws ApiException, IOException {
        ServerLimits lim = filler.limits();
        JsonFields f =
                new JsonFields(Exchanges.readJsonObject(ex, lim.maxBodyBytes()), Set.of("inputs", "top_k", "targets"));
        List<String> inputs = f.strings("inputs", true, lim.maxTexts());
        int topK = f.integer("top_k", DEFAULT_TOP_K, 0, lim.maxTopK());
        List<String> targets = f.strings("targets", false, lim.maxTargets());
        for (int i = 0; i < targets.size(); i++) {
            String t = targets.get(i);
            if (t.isBlank() || t.length() > lim.maxTargetChars()) {
                throw ApiException.badRequest(
                        "bad_target",
                        "targets[" + i + "] is empty or longer than " + lim.maxTargetChars() + " characters",
                        "give single words");
            }
        }
        if (topK == 0 && targets.isEmpty()) {
            throw ApiException.badRequest(
                    "nothing_to_do", "top_k is 0 and no targets were given", "ask for top_k > 0 or give targets");
        }
        List<MaskFillRequest> requests = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            filler.checkText("inputs[" + i + "]", inputs.get(i));
            requests.add(new MaskFillRequest(inputs.get(i), topK, targets));
        }
        List<MaskFillResult> results = filler.fill(requests, Exchanges.cancellation(ex));
        ObjectNode root = Exchanges.JSON.createObjectNode();
        root.put("model", modelId);
        ArrayNode out = root.putArray("results");
        for (MaskFillResult r : results) {
            ArrayNode slots = out.addArray();
            for (Slot s : r.slots()) {
                slots.add(slotJson(s));
            }
        }
        Exchanges.sendJson(ex, 200, root);
    }

    private static ObjectNode slotJson(Slot s) {
        ObjectNode o = Exchanges.JSON.createObjectNode();
        o.put("mask_index", s.index());
        ArrayNode preds = o.putArray("predictions");
        for (Candidate c : s.top()) {
            ObjectNode p = preds.addObject();
            p.put("score", c.score());
            p.put("token", c.tokenId());
            p.put("token_str", c.token());
            p.put("sequence", c.sequence());
            p.put("log_prob", c.logProb());
        }
        ArrayNode targets = o.putArray("targets");
        for (TargetScore t : s.targets()) {
            ObjectNode p = targets.addObject();
            p.put("token_str", t.word());
            p.put("score", t.probability());
            p.put("log_prob", t.logProb());
            ArrayNode pieces = p.putArray("pieces");
            t.pieces().forEach(pieces::add);
        }
        return o;
    }

    private SlotTemplate template(JsonFields f) throws ApiException {
        String text = f.string("template");
        if (text.length() > filler.limits().maxTextChars()) {
            throw ApiException.badRequest(
                    "text_too_long",
                    "template has " + text.length() + " characters, more than the limit of "
                            + filler.limits().maxTextChars(),
                    "shorten it");
        }
        try {
            return SlotTemplate.parse(text);
        } catch (InvalidInputException e) {
            throw ApiException.badRequest("bad_template", e.getMessage(), e.hint());
        }
    }

    private void explore(HttpExchange ex) throws ApiException, IOException {
        JsonFields f = new JsonFields(
                Exchanges.readJsonObject(ex, filler.limits().maxBodyBytes()), Set.of("template", "top_k"));
        SlotTemplate template = template(f);
        int topK = f.integer("top_k", DEFAULT_TOP_K, 1, filler.limits().maxTopK());
        List<GroupCompletions> groups = explorer.complete(template, topK, Exchanges.cancellation(ex));
        ObjectNode root = Exchanges.JSON.createObjectNode();
        root.put("model", modelId);
        ArrayNode arr = root.putArray("groups");
        for (GroupCompletions g : groups) {
            ObjectNode o = arr.addObject();
            o.put("term", g.term());
            o.put("text", g.text());
            o.put("neutral_mass", g.neutralMass());
            ArrayNode cs = o.putArray("completions");
            for (Completion c : g.completions()) {
                ObjectNode co = cs.addObject();
                co.put("token_str", c.token());
                co.put("score", c.score());
                co.put("gender", c.gender().label());
                co.put("sequence", c.sequence());
            }
        }
        Exchanges.sendJson(ex, 200, root);
    }

    private void association(HttpExchange ex) throws ApiException, IOException {
        JsonFields f =
                new JsonFields(Exchanges.readJsonObject(ex, filler.limits().maxBodyBytes()), Set.of("template"));
        Association a = explorer.associate(template(f), Exchanges.cancellation(ex));
        ObjectNode root = Exchanges.JSON.createObjectNode();
        root.put("model", modelId);
        root.put("term_a", a.termA());
        root.put("term_b", a.termB());
        root.put("metric", "log P(occupation | term_a) - log P(occupation | term_b)");
        ArrayNode rows = root.putArray("occupations");
        for (OccupationScore s : a.rows()) {
            ObjectNode o = rows.addObject();
            o.put("occupation", s.occupation());
            o.put("log_ratio", s.logRatio());
            o.put("log_prob_a", s.logProbA());
            o.put("log_prob_b", s.logProbB());
            o.put("pieces", s.pieces().size());
            if (s.pctFemale().isPresent()) {
                o.put("pct_female", s.pctFemale().getAsDouble());
            }
        }
        Exchanges.sendJson(ex, 200, root);
    }
}
