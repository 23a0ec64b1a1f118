package org.unmask.core.lexicon;

/** A male word and its female counterpart (e.g. he/she, his/her, actor/actress). */
public record GenderPair(String male, String female) {}
