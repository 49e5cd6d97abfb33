package org.maiaos.mesh.cojson.storage.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The module's shared Jackson objects (thread-safe once configured). Internal. */
public final class Json {
  /** Raises Jackson's 20 MB string cap to our own limits; the decoder checks sizes itself first. */
  public static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).maxNestingDepth(256).build())
      .build();
  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}
}
