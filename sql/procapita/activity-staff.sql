-- PC-6 the staff linked to each activity of a configured school: staff join teaching groups here.
-- Parameters: @schoolIds nvarchar(max) (comma-separated).
SELECT
  ast.activity_id AS activityId,
  ast.staff_id AS staffId
FROM integration.pc_activity_staff AS ast
INNER JOIN integration.pc_activity AS a ON a.activity_id = ast.activity_id
WHERE a.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
