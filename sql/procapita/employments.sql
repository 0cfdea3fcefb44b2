-- PC-4 employments at configured schools, not ended before @syncDate.
-- Parameters: @schoolIds nvarchar(max) (comma-separated), @syncDate date.
SELECT
  e.staff_id AS staffId,
  e.school_id AS schoolId,
  e.end_date AS endDate
FROM integration.pc_employment AS e
WHERE e.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
  AND (e.end_date IS NULL OR e.end_date >= @syncDate)
