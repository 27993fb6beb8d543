package io.openavathar.store;

import io.openavathar.JobState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Maps store values to and from SQL rows, in the column orders of {@code JdbcStudioStore}'s column
 * lists.
 */
final class StoreRows {
  private StoreRows() {}

  static List<String> strings(PreparedStatement ps) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return List.copyOf(values);
  }

  static void bindJob(PreparedStatement ps, JobRecord job) throws SQLException {
    ps.setString(1, job.id());
    ps.setString(2, job.state().name());
    ps.setString(3, job.requestJson());
    ps.setLong(4, job.seed());
    ps.setInt(5, job.attempt());
    ps.setString(6, job.podId().orElse(null));
    ps.setString(7, job.promptId().orElse(null));
    ps.setString(8, job.outputFile().orElse(null));
    ps.setString(9, job.errorType().orElse(null));
    ps.setString(10, job.errorMessage().orElse(null));
    ps.setString(11, StoreTime.text(job.createdAt()));
    ps.setString(12, StoreTime.text(job.updatedAt()));
    ps.setString(13, job.comfyUrl().orElse(null));
    ps.setString(14, job.clientId().orElse(null));
  }

  static JobRecord readJob(ResultSet rs) throws SQLException {
    return JobRecord.builder(rs.getString(1))
        .state(JobState.valueOf(rs.getString(2)))
        .requestJson(rs.getString(3))
        .seed(rs.getLong(4))
        .attempt(rs.getInt(5))
        .podId(rs.getString(6))
        .promptId(rs.getString(7))
        .outputFile(rs.getString(8))
        .error(rs.getString(9), rs.getString(10))
        .createdAt(StoreTime.instant(rs.getString(11)))
        .updatedAt(StoreTime.instant(rs.getString(12)))
        .comfyUrl(rs.getString(13))
        .clientId(rs.getString(14))
        .build();
  }

  static VideoRecord readVideo(ResultSet rs) throws SQLException {
    return new VideoRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getLong(10),
        rs.getInt(11),
        rs.getInt(12),
        rs.getInt(13),
        rs.getLong(14),
        rs.getLong(15),
        rs.getDouble(16),
        StoreTime.instant(rs.getString(17)),
        optionalDouble(rs, 18),
        optionalDouble(rs, 19),
        rs.getInt(20));
  }

  /** A nullable floating-point column: empty for NULL. */
  private static OptionalDouble optionalDouble(ResultSet rs, int column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  private static void setOptionalDouble(PreparedStatement ps, int index, OptionalDouble value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setDouble(index, value.getAsDouble());
    } else {
      ps.setNull(index, Types.DOUBLE);
    }
  }

  static void bindVideo(PreparedStatement ps, VideoRecord v) throws SQLException {
    ps.setString(1, v.id());
    ps.setString(2, v.jobId());
    ps.setString(3, v.podId());
    ps.setString(4, v.gpuType());
    ps.setString(5, v.promptId());
    ps.setString(6, v.remoteType());
    ps.setString(7, v.remoteSubfolder());
    ps.setString(8, v.remoteFilename());
    ps.setString(9, v.localFile());
    ps.setLong(10, v.sizeBytes());
    ps.setInt(11, v.width());
    ps.setInt(12, v.height());
    ps.setInt(13, v.frames());
    ps.setLong(14, v.durationMillis());
    ps.setLong(15, v.seed());
    ps.setDouble(16, v.gpuSeconds());
    ps.setString(17, StoreTime.text(v.createdAt()));
    setOptionalDouble(ps, 18, v.pricePerHour());
    setOptionalDouble(ps, 19, v.costUsd());
    if (v.requestedFrames() > 0) {
      ps.setInt(20, v.requestedFrames());
    } else {
      ps.setNull(20, Types.INTEGER);
    }
  }
}
