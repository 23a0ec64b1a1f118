/**
 * Where models come from: {@link org.unmask.models.source.ModelResolver} turns a reference (a folder, a Hugging Face
 * hub id found in the local HF cache, or nothing for the default) into a Hugging Face model folder, converting the
 * embedded Google BERT-Base Uncased checkpoint into the Unmask cache when that default is needed. Nothing is
 * downloaded at run time.
 */
package org.unmask.models.source;
