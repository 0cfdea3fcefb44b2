-- PC-5 the staff linked to classes of configured schools.
-- Parameters: @schoolIds nvarchar(max) (comma-separated).
SELECT
  ct.class_id AS classId,
  ct.staff_id AS staffId
FROM integration.pc_class_teacher AS ct
INNER JOIN integration.pc_class AS c ON c.class_id = ct.class_id
WHERE c.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
