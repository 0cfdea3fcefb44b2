-- PC-3, PC-5 class placements in classes of configured schools, not ended before @syncDate.
-- Parameters: @schoolIds nvarchar(max) (comma-separated), @syncDate date.
SELECT
  p.student_id AS studentId,
  p.class_id AS classId,
  p.start_date AS startDate,
  p.end_date AS endDate
FROM integration.pc_class_placement AS p
INNER JOIN integration.pc_class AS c ON c.class_id = p.class_id
WHERE c.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
  AND (p.end_date IS NULL OR p.end_date >= @syncDate)
