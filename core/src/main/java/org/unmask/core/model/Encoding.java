package org.unmask.core.model;

import java.util.Arrays;

/**
 * A tokenised text: ids, their string forms, character offsets into the original text and which
 * tokens are special ({@code [CLS]}, {@code [SEP]}, BOS...). Arrays are never modified after
 * construction.
 *
 * @param ids token ids, special tokens included
 * @param tokens token strings as the vocabulary spells them (e.g. {@code ##ing})
 * @param starts start character offset of each token in the text (-1 for special tokens)
 * @param ends end character offset (exclusive) of each token (-1 for special tokens)
 * @param special true where the tokenizer added the token
 */
public record Encoding(int[] ids, String[] tokens, int[] starts, int[] ends, boolean[] special) {
    public Encoding {
        int n = ids.length;
        if (tokens.length != n || starts.length != n || ends.length != n || special.length != n) {
            throw new IllegalArgumentException("encoding arrays differ in length");
        }
    }

    public int length() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(starts, e.starts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(tokens);
    }
}
